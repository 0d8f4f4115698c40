/*
 * The exact decimal digits of a double, for printf and for checking strtod:
 * a double is m * 2^e with integer m, so its decimal expansion is
 * m * 2^e (e >= 0) or m * 5^-e / 10^-e (e < 0), computed with a big
 * integer in base 10^9. At most 767 significant digits come out.
 */
#include "crt.h"
#include "fpconv.h"

#define LIMBS 110
#define BASE 1000000000u

struct big {
	uint32_t limb[LIMBS]; /* little-endian, base 10^9 */
	int n;
};

static void big_mul(struct big *b, uint32_t f)
{
	uint64_t carry = 0;

	for (int i = 0; i < b->n; i++) {
		uint64_t v = (uint64_t)b->limb[i] * f + carry;
		b->limb[i] = (uint32_t)(v % BASE);
		carry = v / BASE;
	}
	while (carry && b->n < LIMBS) {
		b->limb[b->n++] = (uint32_t)(carry % BASE);
		carry /= BASE;
	}
}

void crt_fp_digits(double x, struct crt_fp_dec *out)
{
	union {
		double d;
		uint64_t u;
	} v = {x};
	uint64_t mant = v.u & ((1ull << 52) - 1);
	int bexp = (int)((v.u >> 52) & 0x7ff);

	if (bexp == 0) {
		crt_fp_digits_m2e(mant, -1074, out);
	} else {
		crt_fp_digits_m2e(mant | 1ull << 52, bexp - 1075, out);
	}
}

/* The digits of mant * 2^e exactly (mant < 2^63, -1200 < e < 1100). */
void crt_fp_digits_m2e(uint64_t mant, int e, struct crt_fp_dec *out)
{
	struct big b;
	char tmp[LIMBS * 9 + 1];
	int len = 0, first, e0 = e;

	out->n = 0;
	out->dp = 0;
	if (!mant)
		return; /* zero: no digits */
	b.n = 0;
	while (mant) {
		b.limb[b.n++] = (uint32_t)(mant % BASE);
		mant /= BASE;
	}
	if (e >= 0) {
		for (; e >= 29; e -= 29)
			big_mul(&b, 1u << 29);
		if (e)
			big_mul(&b, 1u << e);
	} else {
		int k = -e;
		for (; k >= 13; k -= 13)
			big_mul(&b, 1220703125u); /* 5^13 */
		{
			uint32_t p = 1;
			for (; k > 0; k--)
				p *= 5;
			if (p > 1)
				big_mul(&b, p);
		}
	}
	/* to decimal text: the top limb without its leading zeros, the rest 9 digits each */
	first = 1;
	for (int i = b.n - 1; i >= 0; i--) {
		uint32_t l = b.limb[i];
		char d[9];
		for (int j = 8; j >= 0; j--) {
			d[j] = (char)('0' + l % 10);
			l /= 10;
		}
		for (int j = 0; j < 9; j++) {
			if (first && d[j] == '0')
				continue;
			first = 0;
			tmp[len++] = d[j];
		}
	}
	out->dp = e0 < 0 ? len + e0 : len;
	while (len > 0 && tmp[len - 1] == '0')
		len--;
	if (len > CRT_FP_MAXDIG)
		len = CRT_FP_MAXDIG; /* cannot happen for a double; kept as a bound */
	memcpy(out->d, tmp, (size_t)len);
	out->n = len;
}

/*
 * Keeps `keep` digits (keep may be 0 or negative: everything is cut),
 * rounding half away from zero on the exact digits, as msvcrt does.
 */
void crt_fp_round(struct crt_fp_dec *v, int keep)
{
	int i;

	if (keep >= v->n)
		return;
	if (keep < 0) {
		v->n = 0;
		return;
	}
	if (v->d[keep] < '5') {
		v->n = keep;
	} else {
		for (i = keep - 1; i >= 0; i--) {
			if (v->d[i] != '9') {
				v->d[i]++;
				break;
			}
		}
		if (i < 0) { /* 999.. became 1000.. */
			v->d[0] = '1';
			v->n = 1;
			v->dp++;
			return;
		}
		v->n = i + 1;
	}
	while (v->n > 0 && v->d[v->n - 1] == '0')
		v->n--;
}
