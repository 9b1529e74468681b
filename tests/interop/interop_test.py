#!/usr/bin/python3
"""Python pipeline tools talk to rmtcd through the proto alone.

Generates stubs from proto/ with protoc and grpc_python_plugin, starts the
real rmtcd, then with Debian's python3-grpcio registers a dataset, records
a training run and an inference, traces the output back to the data, and
checks a use of it against the dataset's licence.

    interop_test.py RMTCD PROTO_DIR
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import grpc

RMTCD, PROTO_DIR = sys.argv[1], sys.argv[2]
del sys.argv[1:3]


def generate_stubs(out_dir):
    subprocess.run(
        ["protoc", "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin",
         "-I", PROTO_DIR, "--python_out", out_dir, "--grpc_python_out", out_dir,
         "rmtc/v1/artefact.proto", "rmtc/v1/checks.proto", "rmtc/v1/lineage.proto",
         "rmtc/v1/licensing.proto", "grpc/health/v1/health.proto"],
        check=True)
    sys.path.insert(0, out_dir)


class BearerToken(grpc.UnaryUnaryClientInterceptor):
    """Adds 'authorization: Bearer <token>' to every unary call."""

    def __init__(self, token):
        self.metadata = ("authorization", "Bearer " + token)

    def intercept_unary_unary(self, continuation, details, request):
        metadata = list(details.metadata or []) + [self.metadata]
        details = details._replace(metadata=metadata) if hasattr(details, "_replace") \
            else _CallDetails(details.method, details.timeout, metadata,
                              details.credentials, details.wait_for_ready,
                              details.compression)
        return continuation(details, request)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, method, timeout, metadata, credentials, wait_for_ready,
                 compression):
        self.method, self.timeout, self.metadata = method, timeout, metadata
        self.credentials, self.wait_for_ready = credentials, wait_for_ready
        self.compression = compression


class InteropTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="rmtc-interop-")
        os.chmod(cls.scratch, 0o711)  # the embedded PostgreSQL runs as postgres under root
        os.makedirs(os.path.join(cls.scratch, "stubs"))
        generate_stubs(os.path.join(cls.scratch, "stubs"))
        # As a shared service runs: every call presents an access token.
        cls.token = subprocess.run([RMTCD, "token", "new-secret"], check=True,
                                   capture_output=True, text=True).stdout.strip()
        token_file = os.path.join(cls.scratch, "admin-token")
        with open(token_file, "w") as f:
            f.write(cls.token + "\n")
        cls.rmtcd = subprocess.Popen(
            [RMTCD, "--data-dir", os.path.join(cls.scratch, "data"),
             "--listen", "127.0.0.1:0", "--shutdown-grace", "1",
             "--auth", "required", "--bootstrap-token-file", token_file],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = cls.rmtcd.stdout.readline()
        if not line.startswith("rmtcd listening on "):
            raise RuntimeError("rmtcd did not start: " + line)
        cls.address = line.split()[-1]

    @classmethod
    def tearDownClass(cls):
        cls.rmtcd.send_signal(signal.SIGTERM)
        cls.rmtcd.wait(timeout=60)
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def test_register_record_and_trace(self):
        import importlib.util
        import grpc
        from rmtc.v1 import artefact_pb2 as art
        from rmtc.v1 import lineage_pb2 as pb
        from rmtc.v1 import lineage_pb2_grpc as rpc

        # grpc/health/v1 would be shadowed by the grpc package itself: load
        # the messages by path and call the method directly.
        path = os.path.join(self.scratch, "stubs", "grpc", "health", "v1", "health_pb2.py")
        spec = importlib.util.spec_from_file_location("rmtc_health_pb2", path)
        health_pb2 = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(health_pb2)
        plain = grpc.insecure_channel(self.address)
        # Without a token: refused before anything is read or written.
        with self.assertRaises(grpc.RpcError) as refused:
            rpc.LineageStub(plain).ListArtefacts(pb.ListArtefactsRequest(), timeout=10)
        self.assertEqual(refused.exception.code(), grpc.StatusCode.UNAUTHENTICATED)
        channel = grpc.intercept_channel(plain, BearerToken(self.token))
        check = channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
            response_deserializer=health_pb2.HealthCheckResponse.FromString)
        health = check(health_pb2.HealthCheckRequest(service="rmtc.v1.Lineage"), timeout=10)
        self.assertEqual(health.status, health_pb2.HealthCheckResponse.SERVING)

        lineage = rpc.LineageStub(channel)
        plates = lineage.RegisterArtefacts(pb.RegisterArtefactsRequest(
            request_id="houdini-ingest-1",
            artefacts=[pb.NewArtefact(kind=art.KIND_DATASET, name="houdini sims",
                                      attributes='{"solver": "pyro"}')]),
            timeout=10).artefacts[0].artefact
        run = lineage.RecordTrainingRun(pb.RecordTrainingRunRequest(
            run=pb.NewArtefact(name="upres net"), trained_on=[plates.id],
            weights=[pb.NewArtefact(name="upres.onnx", sha256="ab" * 32)]), timeout=10)
        shot = lineage.RecordInference(pb.RecordInferenceRequest(
            inference=pb.NewArtefact(name="maya: upres sh020"),
            uses=[run.weights[0].artefact.id],
            outputs=[pb.NewArtefact(name="sh020_upres.vdb")]), timeout=10)
        trace = lineage.Trace(pb.TraceRequest(id=shot.outputs[0].artefact.id), timeout=10)

        kinds = [art.Kind.Name(n.artefact.kind) for n in trace.nodes]
        self.assertEqual(kinds, ["KIND_ASSET", "KIND_INFERENCE", "KIND_WEIGHTS", "KIND_RUN",
                                 "KIND_DATASET"])
        self.assertEqual(trace.nodes[-1].artefact.id, plates.id)
        self.assertEqual(trace.nodes[-1].depth, 4)
        self.assertFalse(trace.partial)
        relations = sorted(art.Relation.Name(e.relation) for e in trace.edges)
        self.assertEqual(relations, ["RELATION_OUTPUT_OF", "RELATION_PRODUCED_BY",
                                     "RELATION_TRAINED_ON", "RELATION_USES"])

        # Licensing through the same channel: a non-commercial licence on the
        # sims denies commercial use of the frame, and the path proves it.
        from rmtc.v1 import checks_pb2 as checks
        from rmtc.v1 import licensing_pb2 as lic
        from rmtc.v1 import licensing_pb2_grpc as lic_rpc
        licensing = lic_rpc.LicensingStub(channel)
        attached = licensing.AttachLicence(lic.AttachLicenceRequest(
            artefact_id=plates.id, expression="CC-BY-NC-4.0", attribution="Sim Team"),
            timeout=10)
        self.assertEqual(list(attached.licence_ids), ["CC-BY-NC-4.0"])
        frame = shot.outputs[0].artefact.id
        verdict = licensing.CheckUse(lic.CheckUseRequest(
            artefact_id=frame, use=checks.INTENDED_USE_COMMERCIAL_PRODUCTION), timeout=10)
        self.assertEqual(verdict.verdict, checks.VERDICT_DENIED)
        denying = [r for r in verdict.reasons if r.rule == "field-of-use"]
        self.assertTrue(denying, verdict)
        self.assertEqual(denying[0].licence_id, "CC-BY-NC-4.0")
        self.assertEqual(denying[0].path[0], frame)
        self.assertEqual(denying[0].path[-1], plates.id)
        research = licensing.CheckUse(lic.CheckUseRequest(
            artefact_id=frame, use=checks.INTENDED_USE_INTERNAL_RESEARCH), timeout=10)
        self.assertEqual(research.verdict, checks.VERDICT_ALLOWED)

        # Errors reach Python as gRPC status codes with the field named.
        with self.assertRaises(grpc.RpcError) as refused:
            lineage.RecordTrainingRun(pb.RecordTrainingRunRequest(
                run=pb.NewArtefact(name="bad"), trained_on=[run.run.artefact.id],
                weights=[pb.NewArtefact(name="w")]), timeout=10)
        self.assertEqual(refused.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
        self.assertIn("trained_on[0]", refused.exception.details())


if __name__ == "__main__":
    unittest.main(verbosity=2)
