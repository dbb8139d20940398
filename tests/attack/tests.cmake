# Attack tests (label "attack"): real tools against a real collector on
# loopback, bounded so each finishes in minutes. Skipped (77) only when the
# tool is not installed; CI installs it (scripts/deps.sh test).
add_test(NAME attack/sqlmap
  COMMAND ${PROJECT_SOURCE_DIR}/tests/attack/sqlmap.sh
  WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
set_tests_properties(attack/sqlmap PROPERTIES
  LABELS attack
  TIMEOUT 1200
  SKIP_RETURN_CODE 77
  ENVIRONMENT "CANDOR_SRC=${PROJECT_SOURCE_DIR};CANDOR_BIN=${CMAKE_BINARY_DIR}/bin")
