# Browser end-to-end tests (label "browser"): tests/browser/survey.test.mjs
# drives the collector in Debian's headless Chromium through playwright-core
# and checks every page with axe-core (tests/browser/package.json;
# scripts/test.sh runs `npm ci` there). The
# option CANDOR_BROWSER_TESTS is declared in the top-level CMakeLists.txt;
# the test is skipped, with a message, without node or /usr/bin/chromium.

if(CANDOR_BROWSER_TESTS)
  find_program(CANDOR_NODE node)
  find_program(CANDOR_CHROMIUM NAMES chromium PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT CANDOR_NODE)
    message(STATUS "browser tests: node not found, not registered")
  elseif(NOT CANDOR_CHROMIUM)
    message(STATUS "browser tests: /usr/bin/chromium not found, not registered")
  elseif(NOT EXISTS ${PROJECT_SOURCE_DIR}/tests/browser/node_modules/playwright-core OR
         NOT EXISTS ${PROJECT_SOURCE_DIR}/tests/browser/node_modules/axe-core)
    message(STATUS "browser tests: run `npm ci` in tests/browser first; not registered")
  else()
    add_test(NAME browser/survey
      COMMAND ${CANDOR_NODE} ${PROJECT_SOURCE_DIR}/tests/browser/survey.test.mjs
      WORKING_DIRECTORY ${CMAKE_BINARY_DIR})
    set_tests_properties(browser/survey PROPERTIES
      LABELS browser
      TIMEOUT 1500
      ENVIRONMENT "CANDOR_SRC=${PROJECT_SOURCE_DIR};CANDOR_BIN=${CMAKE_BINARY_DIR}/bin")
  endif()
endif()
