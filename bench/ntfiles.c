/*
 * The file-heavy workload of bench/run's wine table: create N files (10000 by default) with
 * fopen/fprintf/fclose in a directory of its own, read each back with fgets, remove it, remove the
 * directory. Built with plain x86_64-w64-mingw32-gcc (mingw's CRT, msvcrt.dll) for picovisor and Wine,
 * and with cc for the native run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <direct.h>
#define make_dir(d) _mkdir(d)
#define remove_dir(d) _rmdir(d)
#else
#include <sys/stat.h>
#include <unistd.h>
#define make_dir(d) mkdir(d, 0755)
#define remove_dir(d) rmdir(d)
#endif

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000, bad = 0;
	char name[64], line[64], want[64];

	if (make_dir("ntfiles.d") != 0) {
		perror("ntfiles.d");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		FILE *f;

		snprintf(name, sizeof(name), "ntfiles.d/f%05d.txt", i);
		f = fopen(name, "w");
		if (!f) {
			perror(name);
			return 1;
		}
		fprintf(f, "file %d of %d\n", i, n);
		fclose(f);
	}
	for (int i = 0; i < n; i++) {
		FILE *f;

		snprintf(name, sizeof(name), "ntfiles.d/f%05d.txt", i);
		snprintf(want, sizeof(want), "file %d of %d\n", i, n);
		f = fopen(name, "r");
		if (!f || !fgets(line, sizeof(line), f) || strcmp(line, want) != 0)
			bad++;
		if (f)
			fclose(f);
		if (remove(name) != 0)
			bad++;
	}
	if (remove_dir("ntfiles.d") != 0)
		bad++;
	printf("%d files, %d bad\n", n, bad);
	return bad != 0;
}
