/* <math.h>: values printed with 12 significant digits (portable between msvcrt and glibc), and errno. Same output on Linux. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#ifdef _WIN32
#include <windows.h>
/* mingw-w64 links its own sin, exp, pow...: these are msvcrt.dll's exports, called by address */
typedef double (*fn1)(double);
typedef double (*fn2)(double, double);
static fn1 crt1(const char *name)
{
	return (fn1)(void (*)(void))GetProcAddress(GetModuleHandleA("msvcrt.dll"), name);
}
static fn2 crt2(const char *name)
{
	return (fn2)(void (*)(void))GetProcAddress(GetModuleHandleA("msvcrt.dll"), name);
}
#define CRT1(name, x) crt1(#name)(x)
#define CRT2(name, x, y) crt2(#name)(x, y)
#else
#define CRT1(name, x) name(x)
#define CRT2(name, x, y) name(x, y)
#endif

static void show(const char *name, double v)
{
	if (v != v)
		printf("%s = nan\n", name);
	else if (v == HUGE_VAL || v == -HUGE_VAL)
		printf("%s = %sinf\n", name, v < 0 ? "-" : "");
	else {
		/* msvcrt writes three exponent digits, glibc two: written here without the leading zeros */
		char buf[64], *e;
		sprintf(buf, "%.12g", v);
		e = strchr(buf, 'e');
		if (e) {
			char *digits = e + 2, *p = digits;
			while (*p == '0' && p[1])
				p++;
			memmove(digits, p, strlen(p) + 1);
		}
		printf("%s = %s\n", name, buf);
	}
}

int main(void)
{
	double ip, fr;
	int e;

	show("sin(1)", sin(1.0));
	show("cos(1)", cos(1.0));
	show("tan(0.5)", tan(0.5));
	show("sin(1e6)", sin(1e6));
	show("asin(0.5)", asin(0.5));
	show("acos(-0.5)", acos(-0.5));
	show("atan(2)", atan(2.0));
	show("atan2(-1,-1)", atan2(-1.0, -1.0));
	show("exp(1)", exp(1.0));
	show("exp(-700)", exp(-700.0));
	show("log(10)", log(10.0));
	show("log10(12345)", log10(12345.0));
	show("pow(2,0.5)", pow(2.0, 0.5));
	show("pow(-2,3)", pow(-2.0, 3.0));
	show("pow(10,-5)", pow(10.0, -5.0));
	show("pow(1.0001,10000)", pow(1.0001, 10000.0));
	show("sqrt(2)", sqrt(2.0));
	show("sinh(1)", sinh(1.0));
	show("cosh(1)", cosh(1.0));
	show("tanh(0.5)", tanh(0.5));
	show("hypot(3,4)", hypot(3.0, 4.0));
	show("floor(-2.5)", floor(-2.5));
	show("ceil(-2.5)", ceil(-2.5));
	show("floor(2.5)", floor(2.5));
	show("ceil(2.000001)", ceil(2.000001));
	show("fmod(10,3)", fmod(10.0, 3.0));
	show("fmod(-10,3)", fmod(-10.0, 3.0));
	show("fabs(-3)", fabs(-3.0));
	fr = modf(-3.75, &ip);
	printf("modf(-3.75) = %g %g\n", ip, fr);
	fr = frexp(48.0, &e);
	printf("frexp(48) = %g %d\n", fr, e);
	show("ldexp(0.75,10)", ldexp(0.75, 10));
	show("ldexp(1,-1074)", ldexp(1.0, -1074) * 1e300 * 1e10);
	show("msvcrt sin(1)", CRT1(sin, 1.0));
	show("msvcrt cos(1)", CRT1(cos, 1.0));
	show("msvcrt exp(1)", CRT1(exp, 1.0));
	show("msvcrt exp(-745)", CRT1(exp, -745.0) * 1e300 * 1e23);
	show("msvcrt log(2)", CRT1(log, 2.0));
	show("msvcrt sqrt(3)", CRT1(sqrt, 3.0));
	show("msvcrt floor(-0.5)", CRT1(floor, -0.5));
	show("msvcrt ceil(0.5)", CRT1(ceil, 0.5));
	show("msvcrt floor(1e300)", CRT1(floor, 1e300));
	show("msvcrt pow(2,0.5)", CRT2(pow, 2.0, 0.5));
	show("msvcrt pow(1.5,-20.25)", CRT2(pow, 1.5, -20.25));
	show("msvcrt pow(-2,-3)", CRT2(pow, -2.0, -3.0));
	show("msvcrt fmod(7.5,-2)", CRT2(fmod, 7.5, -2.0));
	show("msvcrt fmod(1e300,3)", CRT2(fmod, 1e300, 3.0));
	show("msvcrt atan2(1,-1)", CRT2(atan2, 1.0, -1.0));
	errno = 0;
	show("sqrt(-1)", sqrt(-1.0));
	printf("errno EDOM %d\n", errno == EDOM);
	errno = 0;
	show("log(0)", log(0.0));
	printf("errno ERANGE %d\n", errno == ERANGE);
	errno = 0;
	show("exp(1000)", exp(1000.0));
	printf("errno ERANGE %d\n", errno == ERANGE);
	errno = 0;
	show("pow(-8,1/3)", pow(-8.0, 1.0 / 3.0));
	printf("errno EDOM %d\n", errno == EDOM);
	return 0;
}
