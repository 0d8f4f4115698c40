/*
 * <ctype.h>, <wctype.h> and the locale: only the "C" locale exists.
 * _pctype is the classification table mingw's ctype macros index
 * (with -1, EOF, a valid index); bytes 0x80-0xFF are in no class.
 */
#include "crt.h"

#define U 0x1    /* _UPPER */
#define L 0x2    /* _LOWER */
#define D 0x4    /* _DIGIT */
#define S 0x8    /* _SPACE */
#define P 0x10   /* _PUNCT */
#define C 0x20   /* _CONTROL */
#define B 0x40   /* _BLANK */
#define X 0x80   /* _HEX */
#define A 0x100  /* _ALPHA without its letter case */

static unsigned short ctype_table[257];
static unsigned short wctype_table[256];

EXPORT unsigned short *_pctype = ctype_table + 1;
EXPORT unsigned short *_pwctype = wctype_table;
EXPORT int __mb_cur_max = 1;
EXPORT unsigned int __lc_codepage = 0;
EXPORT unsigned int __lc_collate_cp = 0;

static unsigned short classify(int c)
{
	unsigned short f = 0;

	if (c < 0x20 || c == 0x7f)
		f |= C;
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		f |= S;
	if (c == ' ')
		f |= B;
	if (c == '\t')
		f |= B;
	if (c >= 'A' && c <= 'Z')
		f |= U | A;
	if (c >= 'a' && c <= 'z')
		f |= L | A;
	if (c >= '0' && c <= '9')
		f |= D | X;
	if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
		f |= X;
	if (c > 0x20 && c < 0x7f && !(f & (U | L | D)))
		f |= P;
	return f;
}

/* The wide table adds Latin-1's letters (U+00C0..U+00FF), punctuation and no-break space. */
static unsigned short classify_wide(int c)
{
	if (c < 0x80)
		return classify(c);
	if (c < 0xA0)
		return C;
	if (c == 0xA0)
		return S | B;
	if (c == 0xD7 || c == 0xF7)
		return P;
	if (c >= 0xC0 && c <= 0xDE)
		return U | A;
	if (c >= 0xDF)
		return L | A;
	if (c == 0xAA || c == 0xB5 || c == 0xBA)
		return L | A;
	return P;
}

void crt_init_ctype(void)
{
	for (int c = 0; c < 256; c++) {
		ctype_table[c + 1] = c < 0x80 ? classify(c) : 0;
		wctype_table[c] = classify_wide(c);
	}
}

EXPORT unsigned short *__pctype_func(void) { return _pctype; }
EXPORT unsigned short *__pwctype_func(void) { return _pwctype; }
EXPORT int ___mb_cur_max_func(void) { return __mb_cur_max; }
EXPORT int *__p___mb_cur_max(void) { return &__mb_cur_max; }
EXPORT unsigned int ___lc_codepage_func(void) { return __lc_codepage; }
EXPORT unsigned int ___lc_collate_cp_func(void) { return __lc_collate_cp; }

EXPORT int _isctype(int c, int mask)
{
	if (c < -1 || c > 255)
		return 0;
	return ctype_table[c + 1] & mask;
}

#define CTYPE(name, mask)                                                            \
	EXPORT int name(int c)                                                       \
	{                                                                            \
		return c >= -1 && c <= 255 ? ctype_table[c + 1] & (mask) : 0;        \
	}
CTYPE(isalpha, U | L)
CTYPE(isupper, U)
CTYPE(islower, L)
CTYPE(isdigit, D)
CTYPE(isxdigit, X)
CTYPE(isspace, S)
CTYPE(ispunct, P)
CTYPE(isalnum, U | L | D)
CTYPE(isprint, U | L | D | P | B)
CTYPE(isgraph, U | L | D | P)
CTYPE(iscntrl, C)

EXPORT int isblank(int c)
{
	return c == ' ' || c == '\t';
}

EXPORT int __isascii(int c)
{
	return (unsigned)c < 0x80;
}

EXPORT int __toascii(int c)
{
	return c & 0x7f;
}

EXPORT int __iscsym(int c)
{
	return isalnum(c) || c == '_';
}

EXPORT int __iscsymf(int c)
{
	return isalpha(c) || c == '_';
}

EXPORT int tolower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

EXPORT int toupper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 32 : c;
}

EXPORT int _tolower(int c)
{
	return c + 32;
}

EXPORT int _toupper(int c)
{
	return c - 32;
}

EXPORT int iswctype(WCHAR c, unsigned short mask)
{
	if (c < 256)
		return wctype_table[c] & mask;
	return 0; /* outside Latin-1 nothing is classified */
}

#define WCTYPE(name, mask)                                     \
	EXPORT int name(WCHAR c)                               \
	{                                                      \
		return iswctype(c, mask);                      \
	}
WCTYPE(iswalpha, U | L)
WCTYPE(iswupper, U)
WCTYPE(iswlower, L)
WCTYPE(iswdigit, D)
WCTYPE(iswxdigit, X)
WCTYPE(iswspace, S)
WCTYPE(iswpunct, P)
WCTYPE(iswalnum, U | L | D)
WCTYPE(iswprint, U | L | D | P | B)
WCTYPE(iswgraph, U | L | D | P)
WCTYPE(iswcntrl, C)

EXPORT int iswascii(WCHAR c)
{
	return c < 0x80;
}

/* The C locale's conventions. */
struct lconv_msvcrt {
	char *decimal_point, *thousands_sep, *grouping, *int_curr_symbol, *currency_symbol, *mon_decimal_point,
		*mon_thousands_sep, *mon_grouping, *positive_sign, *negative_sign;
	char int_frac_digits, frac_digits, p_cs_precedes, p_sep_by_space, n_cs_precedes, n_sep_by_space,
		p_sign_posn, n_sign_posn;
	WCHAR *w_decimal_point, *w_thousands_sep, *w_int_curr_symbol, *w_currency_symbol, *w_mon_decimal_point,
		*w_mon_thousands_sep, *w_positive_sign, *w_negative_sign;
};

static char dot[] = ".", empty[] = "";
static WCHAR wdot[] = {'.', 0}, wempty[] = {0};
static struct lconv_msvcrt c_lconv = {
	dot, empty, empty, empty, empty, empty, empty, empty, empty, empty,
	127, 127, 127, 127, 127, 127, 127, 127,
	wdot, wempty, wempty, wempty, wempty, wempty, wempty, wempty,
};

EXPORT struct lconv_msvcrt *localeconv(void)
{
	return &c_lconv;
}

/* Only "C" exists; "" (the user's default) is "C" too. Any other name is refused. */
EXPORT char *setlocale(int category, const char *name)
{
	static char c_name[] = "C";

	if (category < 0 || category > 5)
		return NULL;
	if (!name || !strcmp(name, "") || !strcmp(name, "C"))
		return c_name;
	return NULL;
}

EXPORT WCHAR *_wsetlocale(int category, const WCHAR *name)
{
	static WCHAR c_name[] = {'C', 0};

	if (category < 0 || category > 5)
		return NULL;
	if (!name || !name[0] || (name[0] == 'C' && !name[1]))
		return c_name;
	return NULL;
}
