/* Exact decimal digits of a double (fpconv.c). */
#ifndef PICOVISOR_MSVCRT_FPCONV_H
#define PICOVISOR_MSVCRT_FPCONV_H

#define CRT_FP_MAXDIG 1000

/* |x| = 0.d[0]d[1]...d[n-1] * 10^dp; no trailing zeros; n == 0 for zero */
struct crt_fp_dec {
	char d[CRT_FP_MAXDIG];
	int n, dp;
};

void crt_fp_digits(double x, struct crt_fp_dec *out);
void crt_fp_digits_m2e(uint64_t mant, int e, struct crt_fp_dec *out);
void crt_fp_round(struct crt_fp_dec *v, int keep);

#endif
