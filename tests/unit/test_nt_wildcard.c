/*
 * NT wildcard matching (translate/nt/nt_path.c): the same answers as a plain
 * backtracking reading of FsRtlIsNameInExpression on every short mask and
 * name over a small alphabet, and a bounded number of steps on the masks
 * that make backtracking exponential.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "nt.h"

/* The reference: the rules read literally, trying every way (ASCII only, folded). */
static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static bool ref(const char *m, const char *n, const char *last_dot)
{
	if (!*m)
		return !*n;
	switch (*m) {
	case '*':
		for (const char *k = n;; k++) {
			if (ref(m + 1, k, last_dot))
				return true;
			if (!*k)
				return false;
		}
	case '<':
		for (const char *k = n;; k++) {
			if (ref(m + 1, k, last_dot))
				return true;
			if (!*k || k == last_dot)
				return false;
		}
	case '?':
		return *n && ref(m + 1, n + 1, last_dot);
	case '>':
		return *n && *n != '.' ? ref(m + 1, n + 1, last_dot) : ref(m + 1, n, last_dot);
	case '"':
		return *n == '.' ? ref(m + 1, n + 1, last_dot) : !*n && ref(m + 1, n, last_dot);
	default:
		return *n && fold(*n) == fold(*m) && ref(m + 1, n + 1, last_dot);
	}
}

static bool reference(const char *m, const char *n)
{
	return !*m || ref(m, n, strrchr(n, '.'));
}

static void nth_string(char *out, unsigned long k, const char *alphabet, int len)
{
	int a = (int)strlen(alphabet);

	for (int i = 0; i < len; i++, k /= (unsigned long)a)
		out[i] = alphabet[k % (unsigned long)a];
	out[len] = '\0';
}

Test(nt_wildcard, agrees_with_the_rules_on_every_short_mask_and_name)
{
	static const char mask_chars[] = "a.*?<>\"", name_chars[] = "aA.b";
	char m[8], n[8];
	unsigned long masks = 0, differ = 0;

	for (int ml = 0; ml <= 5; ml++) {
		unsigned long mcount = 1;
		for (int i = 0; i < ml; i++)
			mcount *= sizeof(mask_chars) - 1;
		for (unsigned long mk = 0; mk < mcount; mk++, masks++) {
			nth_string(m, mk, mask_chars, ml);
			for (int nl = 0; nl <= 5; nl++) {
				unsigned long ncount = 1;
				for (int i = 0; i < nl; i++)
					ncount *= sizeof(name_chars) - 1;
				for (unsigned long nk = 0; nk < ncount; nk++) {
					nth_string(n, nk, name_chars, nl);
					if (nt_wildcard_match(m, n) != reference(m, n) && differ++ < 5)
						cr_log_error("mask \"%s\" name \"%s\": %d, the rules say %d", m, n,
							     nt_wildcard_match(m, n), reference(m, n));
				}
			}
		}
	}
	cr_expect_eq(differ, 0, "%lu of the answers differ", differ);
	cr_expect_gt(masks, 19000);
}

/* Masks that make backtracking take exponential time: the steps stay within 2 x (mask + 1) x (name + 1). */
Test(nt_wildcard, adversarial_masks_take_bounded_steps)
{
	char mask[300], name[300];
	size_t work, m, n;

	/* `*a*a...*a*b` (the hang of the report: 12 stars, a 200-character name of a's) and worse */
	for (int stars = 12; stars <= 100; stars += 22) {
		m = 0;
		for (int i = 0; i < stars; i++) {
			mask[m++] = '*';
			mask[m++] = 'a';
		}
		mask[m++] = '*';
		mask[m++] = 'b';
		mask[m] = '\0';
		n = 200;
		memset(name, 'a', n);
		name[n] = '\0';
		cr_expect(!nt_wildcard_match_work(mask, name, &work), "no b in the name: no match");
		cr_expect_leq(work, 2 * (m + 1) * (n + 1), "%zu steps for a %zu-mask and a %zu-name", work, m, n);
		name[n - 1] = 'b';
		cr_expect(nt_wildcard_match_work(mask, name, &work), "a b at the end: a match");
		cr_expect_leq(work, 2 * (m + 1) * (n + 1));
	}
	/* DOS_STAR runs against a name full of dots */
	m = 0;
	for (int i = 0; i < 40; i++) {
		mask[m++] = '<';
		mask[m++] = '.';
	}
	mask[m++] = 'x';
	mask[m] = '\0';
	for (n = 0; n < 250; n++)
		name[n] = n % 2 ? '.' : 'y';
	name[n] = '\0';
	cr_expect(!nt_wildcard_match_work(mask, name, &work));
	cr_expect_leq(work, 2 * (m + 1) * (n + 1));
}

Test(nt_wildcard, longer_than_a_component_matches_nothing)
{
	char mask[NT_WILDCARD_MAX + 8], name[NT_WILDCARD_MAX + 8];

	memset(mask, '*', sizeof(mask) - 1);
	mask[sizeof(mask) - 1] = '\0';
	cr_expect(!nt_wildcard_match(mask, "x"), "a mask over the limit");
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	cr_expect(!nt_wildcard_match("x*", name), "a name over the limit");
	cr_expect(nt_wildcard_match(NULL, name), "no mask: everything");
	cr_expect(nt_wildcard_match("*.TXT", "\xc3\x89t\xc3\xa9.txt"), "Latin-1 letters fold");
}
