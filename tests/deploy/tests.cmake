# Installation and deployment (docs/operations.md, "Deploy").
add_test(NAME deploy/install
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/install.sh ${CMAKE_BINARY_DIR})
add_test(NAME deploy/nginx_conf
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/nginx_conf.sh ${PROJECT_SOURCE_DIR})
add_test(NAME deploy/man_sync
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/man_sync.sh ${CMAKE_BINARY_DIR}/bin
  ${PROJECT_SOURCE_DIR}/man)
# The proxy file in front of a real collector, a survey taken through it
# over HTTPS, and its logs searched for the client (skipped, 77, without
# nginx, curl, openssl, sqlite3 or python3).
add_test(NAME deploy/nginx_e2e
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/nginx_e2e.sh ${PROJECT_SOURCE_DIR}
  ${CMAKE_BINARY_DIR}/bin)
# Every line the collector logs is in docs/operations.md, "Logs".
add_test(NAME deploy/log_docs
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/log_docs.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(deploy/install deploy/nginx_conf deploy/man_sync
  deploy/nginx_e2e deploy/log_docs PROPERTIES LABELS deploy TIMEOUT 300)
set_tests_properties(deploy/nginx_e2e PROPERTIES SKIP_RETURN_CODE 77)
# The install test writes into the build tree's install manifest; keep it
# apart from the tests that start collectors from the same binaries.
set_tests_properties(deploy/install PROPERTIES RUN_SERIAL TRUE)
