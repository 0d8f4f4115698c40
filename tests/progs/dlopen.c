/* dlopen a library by soname and call into it. */
#include <dlfcn.h>
#include <stdio.h>

int main(void)
{
	void *h = dlopen("libm.so.6", RTLD_NOW);
	double (*cosine)(double) = h ? (double (*)(double))dlsym(h, "cos") : NULL;

	if (!cosine) {
		printf("dlopen failed: %s\n", dlerror());
		return 1;
	}
	printf("cos(0)=%.3f\n", cosine(0.0));
	return 0;
}
