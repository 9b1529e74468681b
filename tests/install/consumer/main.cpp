// Registers a dataset, a training run and an inference, then traces the
// output frame back to its training data: what a pipeline tool does.
#include <rmtc/client.h>

#include <iostream>

int main(int argc, char** argv) {
  auto client =
      rmtc::Client::Connect({.address = argc > 1 ? argv[1] : "127.0.0.1:50051"});
  if (!client) return std::cerr << client.error().message << "\n", 1;
  auto plates =
      client->Register({{.kind = rmtc::Kind::kDataset, .name = "consumer plates"}});
  if (!plates) return std::cerr << plates.error().message << "\n", 1;
  auto run = client->RecordTrainingRun({.run = {.name = "consumer run"},
                                        .trained_on = {plates->at(0).artefact.id},
                                        .weights = {{.name = "consumer.ckpt"}}});
  if (!run) return std::cerr << run.error().message << "\n", 1;
  auto shot = client->RecordInference({.inference = {.name = "consumer comp"},
                                       .uses = {run->weights.at(0).artefact.id},
                                       .outputs = {{.name = "consumer_v001.exr"}}});
  if (!shot) return std::cerr << shot.error().message << "\n", 1;
  auto trace = client->Trace(shot->outputs.at(0).artefact.id);
  if (!trace) return std::cerr << trace.error().message << "\n", 1;
  for (const auto& node : trace->nodes) {
    std::cout << std::string(2 * node.depth, ' ') << rmtc::KindName(node.artefact.kind)
              << " " << node.artefact.name << "\n";
  }
  return trace->nodes.back().artefact.id == plates->at(0).artefact.id ? 0 : 1;
}
