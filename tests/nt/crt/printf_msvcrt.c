/* msvcrt's own formatting (three-digit exponents, 1.#INF, %I64d, %S): compared with Wine's builtin msvcrt only. */
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>
int main(void) {
	char buf[64];
	double inf = HUGE_VAL, nan_ = strtod("nan", NULL);
	printf("[%e] [%E] [%g] [%G] [%.3e] [%10.4f] [%-10.2f] [%+f] [% f] [%#g] [%#.0f]\n", 12345.678, 1e-300, 1e20, 1e-5, 0.0, 3.14159, 2.5, 1.0, 1.0, 1.0, 3.0);
	printf("[%.0f] [%.1f] [%.2f] [%.20f] [%f]\n", 0.5, 0.25, 1.005, 0.1, 1e300/1e280);
	printf("[%f] [%f] [%e] [%g] [%f]\n", inf, -inf, inf, inf, nan_);
	printf("[%a] [%A]\n", 1.5, -0.1);
	printf("[%d] [%5d] [%-5d|] [%05d] [%+d] [% d] [%.3d] [%x] [%X] [%#x] [%o] [%#o] [%u]\n", -42, 42, 42, 42, 42, 42, 7, 0xbeef, 0xbeef, 0xbeef, 8, 8, 4000000000u);
	printf("[%I64d] [%lld] [%llu] [%I64x] [%ld] [%hd] [%hhd] [%Iu] [%zu]\n", -9223372036854775807LL-1, 123456789012345LL, 18446744073709551615ULL, 0xdeadbeefcafeULL, 2147483647L, 70000, 300, (size_t)12345, (size_t)99);
	printf("[%s] [%.3s] [%10s] [%-10s|] [%ls] [%S] [%c] [%lc] [%C] [%%] [%s]\n", "str", "abcdef", "right", "left", L"wide", L"wideS", 'x', L'y', L'z', (char*)NULL);
	printf("[%p] [%5.1s]\n", (void*)0xabc, "xyz");
	int n = 0; printf("abc%n\n", &n); printf("n=%d\n", n);
	int r = _snprintf(buf, 5, "%s", "123456789"); printf("snprintf=%d\n", r);
	r = _snprintf(buf, sizeof buf, "%d-%s", 5, "ok"); printf("snprintf=%d [%s]\n", r, buf);
	r = sprintf(buf, "%08.3f", -3.14159); printf("sprintf=%d [%s]\n", r, buf);
	printf("%g %g %g %g %g %g\n", 100000.0, 1000000.0, 0.0001, 0.00001, 123456789.0, 1.5e-7);
	printf("%.15g %.17g %.3g %g\n", 0.1, 0.1, 2.0/3.0, -0.0);
	return 0;
}
