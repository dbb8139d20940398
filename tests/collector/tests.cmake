# The TLS test needs the openssl command to make a throwaway certificate;
# without it (or without a TLS-capable libcurl) it exits 77: skipped.
set_tests_properties(collector/test_tls PROPERTIES SKIP_RETURN_CODE 77)
