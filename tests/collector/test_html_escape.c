/*
 * The escaping writer: the five characters are escaped, literals are not,
 * paragraphs split on blank lines, and the cap latches an error instead of
 * growing or truncating silently.
 */
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "testlib.h"

int
main(void)
{
	struct html h;
	char *out;
	size_t len = 0;

	html_init(&h, 1024);
	html_lit(&h, "<p>");
	html_text(&h, "a<b>&\"c'd");
	html_lit(&h, "</p>");
	html_long(&h, -42);
	html_text(&h, NULL);
	out = html_take(&h, &len);
	CHECK_STR(out, "<p>a&lt;b&gt;&amp;&quot;c&#39;d</p>-42");
	CHECK_INT(len, strlen("<p>a&lt;b&gt;&amp;&quot;c&#39;d</p>-42"));
	free(out);

	html_init(&h, 1024);
	html_paras(&h, "One <x>\nline two\n\n\nThree");
	out = html_take(&h, &len);
	CHECK_STR(out, "<p>One &lt;x&gt;<br>line two</p>\n<p>Three</p>\n");
	free(out);

	/* html_bad_over_cap */
	html_init(&h, 8);
	html_text(&h, "12345");
	html_text(&h, "<"); /* 4 bytes: 9 > 8 */
	CHECK_INT(h.err, 1);
	html_lit(&h, "x");
	out = html_take(&h, &len);
	CHECK(out == NULL);
	html_free(&h);

	/* An empty page is an empty string, not NULL. */
	html_init(&h, 8);
	out = html_take(&h, &len);
	CHECK(out != NULL && len == 0 && out[0] == '\0');
	free(out);
	return test_done();
}
