/* Directories, stat, listing, times and modes: the same output on Linux (names listed sorted). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#ifdef _WIN32
#include <direct.h>
#include <io.h>
#include <sys/utime.h>
#define MKDIR(d) _mkdir(d)
#else
#include <dirent.h>
#include <unistd.h>
#include <utime.h>
#define MKDIR(d) mkdir(d, 0755)
#define _utimbuf utimbuf
#define _utime utime
#define _chmod chmod
#define _S_IREAD 0444
#define _S_IWRITE 0200
#endif

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *dir)
{
	char *names[64];
	int n = 0;
#ifdef _WIN32
	struct _finddata_t fd;
	char spec[256];
	intptr_t h;

	snprintf(spec, sizeof(spec), "%s\\*", dir);
	h = _findfirst(spec, &fd);
	if (h != -1) {
		do
			if (strcmp(fd.name, ".") && strcmp(fd.name, "..") && n < 64)
				names[n++] = strdup(fd.name);
		while (_findnext(h, &fd) == 0);
		printf("findnext end errno ENOENT %d\n", errno == ENOENT);
		_findclose(h);
	}
#else
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && n < 64)
			names[n++] = strdup(e->d_name);
	if (d)
		closedir(d);
	printf("findnext end errno ENOENT %d\n", 1);
#endif
	qsort(names, (size_t)n, sizeof(names[0]), cmp);
	printf("%s holds %d:", dir, n);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

int main(void)
{
	struct stat st;
	struct _utimbuf times = {1000000000, 1234567890};
	FILE *f;
	int r;

	printf("mkdir %d\n", MKDIR("crt_dir"));
	r = MKDIR("crt_dir");
	printf("mkdir again %d EEXIST %d\n", r, errno == EEXIST);
	MKDIR("crt_dir/sub");
	for (int i = 0; i < 5; i++) {
		char name[64];
		snprintf(name, sizeof(name), "crt_dir/file%d.txt", i);
		f = fopen(name, "wb");
		fprintf(f, "%*s", i * 100, "");
		fclose(f);
	}
	list("crt_dir");
	r = stat("crt_dir/file3.txt", &st);
	printf("stat %d size %ld reg %d dir %d\n", r, (long)st.st_size, (st.st_mode & S_IFMT) == S_IFREG, (st.st_mode & S_IFMT) == S_IFDIR);
	r = stat("crt_dir/sub", &st);
	printf("stat dir %d dir %d\n", r, (st.st_mode & S_IFMT) == S_IFDIR);
	r = stat("crt_dir/none", &st);
	printf("stat missing %d ENOENT %d\n", r, errno == ENOENT);
	printf("utime %d\n", _utime("crt_dir/file1.txt", &times));
	stat("crt_dir/file1.txt", &st);
	printf("mtime %lld\n", (long long)st.st_mtime);
	printf("chmod read-only %d\n", _chmod("crt_dir/file2.txt", _S_IREAD));
	stat("crt_dir/file2.txt", &st);
	printf("writable %d\n", (st.st_mode & _S_IWRITE) != 0);
	_chmod("crt_dir/file2.txt", _S_IREAD | _S_IWRITE);
	r = rmdir("crt_dir");
	printf("rmdir non-empty %d ENOTEMPTY %d\n", r, errno == ENOTEMPTY || errno == EEXIST);
	for (int i = 0; i < 5; i++) {
		char name[64];
		snprintf(name, sizeof(name), "crt_dir/file%d.txt", i);
		unlink(name);
	}
	printf("rmdir sub %d\n", rmdir("crt_dir/sub"));
	list("crt_dir");
	printf("rmdir %d\n", rmdir("crt_dir"));
	return 0;
}
