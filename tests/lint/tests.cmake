# Source checks that run with the suite.
add_test(NAME lint/checksrc COMMAND ${PROJECT_SOURCE_DIR}/scripts/checksrc.sh)
set_tests_properties(lint/checksrc PROPERTIES LABELS lint)
# The default survey passes its own validator.
add_test(NAME lint/default_form_valid
  COMMAND collector --check-form ${PROJECT_SOURCE_DIR}/forms/fibromyalgia-therapies.json)
set_tests_properties(lint/default_form_valid PROPERTIES LABELS lint)
# The collector's own POST fields are all reserved names for form variables.
add_test(NAME lint/reserved_vars
  COMMAND ${PROJECT_SOURCE_DIR}/tests/lint/reserved_vars.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(lint/reserved_vars PROPERTIES LABELS lint)
