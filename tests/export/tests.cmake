# Row-level exports opened in the real tools: R sources load.R (r_load.sh,
# r_check.R); PSPP runs data.sps (test_export_pspp.c). Both skip (77) only
# when the tool is not installed; CI installs both (scripts/deps.sh test).
add_test(NAME export/r_load
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/r_load.sh ${PROJECT_SOURCE_DIR}
    ${CMAKE_BINARY_DIR}/bin)
set_tests_properties(export/r_load PROPERTIES
  LABELS export TIMEOUT 300 SKIP_RETURN_CODE 77)
set_tests_properties(export/test_export_pspp PROPERTIES
  SKIP_RETURN_CODE 77)
