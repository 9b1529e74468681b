# Fails when a file of a server layer includes what its layer must not
# (server/layers.cmake). Run by the build before the layer compiles:
#   cmake -DLAYER_DIR=... -DFORBIDDEN=regex -DSTAMP=file -P check_layer.cmake
file(GLOB files ${LAYER_DIR}/*.h ${LAYER_DIR}/*.cpp)
set(violations "")
foreach(file IN LISTS files)
  file(STRINGS ${file} includes REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS includes)
    if(line MATCHES "${FORBIDDEN}")
      string(APPEND violations "\n  ${file}: ${line}")
    endif()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "layer ${LAYER_DIR} includes what it must not "
                      "(server/layers.cmake, docs/architecture.md):${violations}")
endif()
file(TOUCH ${STAMP})
