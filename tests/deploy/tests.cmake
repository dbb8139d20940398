# Installation and deployment (docs/operations.md, "Deploy").
add_test(NAME deploy/install
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/install.sh ${CMAKE_BINARY_DIR})
add_test(NAME deploy/nginx_conf
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/nginx_conf.sh ${PROJECT_SOURCE_DIR})
add_test(NAME deploy/man_sync
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/man_sync.sh ${CMAKE_BINARY_DIR}/bin
  ${PROJECT_SOURCE_DIR}/man)
set_tests_properties(deploy/install deploy/nginx_conf deploy/man_sync
  PROPERTIES LABELS deploy TIMEOUT 300)
# The install test writes into the build tree's install manifest; keep it
# apart from the tests that start collectors from the same binaries.
set_tests_properties(deploy/install PROPERTIES RUN_SERIAL TRUE)
