# Script-driven analysis tests: the report rendered in headless Chromium.
if(CANDOR_BROWSER_TESTS)
  add_test(NAME analysis/report_screenshot
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/report_screenshot.sh
      ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/bin)
  set_tests_properties(analysis/report_screenshot PROPERTIES
    LABELS "analysis;browser" TIMEOUT 300 SKIP_RETURN_CODE 77
    DEPENDS analysis)
endif()

# The report checked with axe-core at 360 and 1280 px (screenshots kept in
# the build directory's artifacts/report-axe).
if(CANDOR_BROWSER_TESTS)
  add_test(NAME analysis/report_axe
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/report_axe.sh
      ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/bin)
  set_tests_properties(analysis/report_axe PROPERTIES
    LABELS "analysis;browser" TIMEOUT 300 SKIP_RETURN_CODE 77
    DEPENDS analysis)
endif()
