/*
 * The site's public address (--public-url): the one address every page
 * that shows a resume or receipt code gives for going back, and the one
 * written into the code's text file. It is checked once, at start, and
 * kept in one spelling (scheme and host as given, no trailing slash), so
 * each page only appends "/resume" or "/withdraw".
 *
 * Only https:// is accepted, except http:// to this machine (localhost,
 * 127.0.0.0/8, [::1]) for a trial run: a patient told to type an http://
 * address on the open internet would send a receipt code in the clear.
 * No user name or password (a code page must not spread them), no path
 * (every link of the collector is rooted at /, so a site under a path
 * prefix would not work anyway), no query and no fragment (the address
 * is printed and saved as is, and a query is what proxies log).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "collector_int.h"

#define SITE_HOST_MAX 253

static int
site_fail(char *err, size_t errsz, const char *url, const char *rule)
{
	snprintf(err, errsz, "--public-url %s: %s", url, rule);
	return -1;
}

/* Is s (n bytes) a port number 1..65535? */
static int
site_port_ok(const char *s, size_t n)
{
	unsigned long v = 0;

	if (n == 0 || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/* Is the host [h, h+n) (without port) loopback: localhost, 127/8, ::1? */
static int
site_loopback(const char *h, size_t n)
{
	char a[64];

	if (n == 9 && strncasecmp(h, "localhost", 9) == 0)
		return 1;
	if (n >= sizeof(a))
		return 0;
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
		memcpy(a, h + 1, n - 2);
		a[n - 2] = '\0';
	} else {
		memcpy(a, h, n);
		a[n] = '\0';
	}
	return collector_addr_is_loopback(a);
}

int
collector_public_url_check(const char *url, char *out, size_t outsz,
    char *err, size_t errsz)
{
	const char *h, *end, *colon;
	size_t n, hn;
	int tls;

	if (url == NULL || url[0] == '\0')
		return site_fail(err, errsz, "(none)", "needs a value");
	n = strlen(url);
	if (n > COLLECTOR_PUBLIC_URL_MAX)
		return site_fail(err, errsz, "(too long)", "at most "
		    COLLECTOR_PUBLIC_URL_MAX_S " characters");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= ' ' ||
		    (unsigned char)url[i] >= 0x7f)
			return site_fail(err, errsz, "(as given)", "only "
			    "printable ASCII, no spaces (write an "
			    "internationalised name in its xn-- form)");
	if (strncasecmp(url, "https://", 8) == 0) {
		tls = 1;
		h = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		tls = 0;
		h = url + 7;
	} else
		return site_fail(err, errsz, url, "must start with https:// "
		    "(or http:// to this machine: localhost, 127.0.0.1, "
		    "[::1])");
	if (strpbrk(h, "?#") != NULL)
		return site_fail(err, errsz, url, "no query (?) or fragment "
		    "(#): give the site's address only");
	if (strchr(h, '@') != NULL)
		return site_fail(err, errsz, url, "no user name or password "
		    "(@)");
	end = strchr(h, '/');
	if (end != NULL && end[1] != '\0')
		return site_fail(err, errsz, url, "no path: give the site's "
		    "root address, like https://survey.example.org (the "
		    "collector's pages are at /resume, /withdraw, /s/...)");
	hn = end != NULL ? (size_t)(end - h) : strlen(h);
	/* The port follows the last ':' outside an IPv6 literal's brackets. */
	colon = NULL;
	for (const char *p = h; p < h + hn; p++)
		if (*p == ':')
			colon = p;
	if (h[0] == '[') {
		const char *rb = memchr(h, ']', hn);
		if (rb == NULL)
			return site_fail(err, errsz, url, "an IPv6 address "
			    "needs its closing ]");
		if (colon != NULL && colon < rb)
			colon = NULL;
		if (rb + 1 != h + hn && rb + 1 != colon)
			return site_fail(err, errsz, url, "after ] only a "
			    ":port may follow");
	}
	if (colon != NULL) {
		if (!site_port_ok(colon + 1, (size_t)(h + hn - colon - 1)))
			return site_fail(err, errsz, url, "the port must be a "
			    "number from 1 to 65535");
		hn = (size_t)(colon - h);
	}
	if (hn == 0 || hn > SITE_HOST_MAX)
		return site_fail(err, errsz, url, "needs a host name of 1 to "
		    "253 characters");
	if (h[0] == '[') {
		if (strspn(h + 1, "0123456789abcdefABCDEF:.") != hn - 2)
			return site_fail(err, errsz, url, "an IPv6 address "
			    "holds only hex digits, ':' and '.'");
	} else if (strspn(h, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") < hn)
		return site_fail(err, errsz, url, "the host name may hold "
		    "only letters, digits, '.' and '-'");
	if (!tls && !site_loopback(h, hn))
		return site_fail(err, errsz, url, "http:// only to this "
		    "machine (localhost, 127.0.0.1, [::1]); a public site "
		    "must use https://, or codes travel in the clear");
	n = end != NULL ? (size_t)(end - url) : n;
	if (out != NULL) {
		if (n >= outsz)
			return site_fail(err, errsz, "(too long)", "at most "
			    COLLECTOR_PUBLIC_URL_MAX_S " characters");
		memcpy(out, url, n);
		out[n] = '\0';
	}
	return 0;
}
