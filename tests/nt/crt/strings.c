/* string.h, stdlib.h parsing, qsort/bsearch, ctype: the same output on Linux. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char buf[64], *end, *tok;
	const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "kiwi", "lime", "mango", "grape"};
	int nums[1000], *hit, key, sorted = 1;
	unsigned seed = 12345;
	const char *doubles[] = {"3.14159", "1e308", "2.2250738585072014e-308", "4.9e-324", "0.1", "123456789012345678901234567890",
				 "-0.0", "1.7976931348623157e308", "2.5", "0x1.8p3", "  42abc", "1e-400", "1e400", ".5", "5.", "9007199254740993"};

	strcpy(buf, "hello");
	strcat(buf, ", world");
	printf("%s %u %d %d %d\n", buf, (unsigned)strlen(buf), strcmp("abc", "abd") < 0, strncmp("abcx", "abcy", 3), memcmp("a", "b", 1) < 0);
	printf("strchr %s strrchr %s strstr %s\n", strchr(buf, 'o'), strrchr(buf, 'o'), strstr(buf, "wor"));
	printf("spn %u cspn %u pbrk %s\n", (unsigned)strspn("aabbc", "ab"), (unsigned)strcspn("hello", "l"), strpbrk("hello", "le"));
	strcpy(buf, "a,b,,c");
	for (tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
		printf("tok[%s] ", tok);
	printf("\n");
	memset(buf, 'x', 5);
	buf[5] = 0;
	memmove(buf + 1, buf, 3);
	printf("memset/memmove %s\n", buf);

	printf("strtol %ld %ld %ld %ld\n", strtol("  -123xyz", &end, 10), strtol("0x1f", NULL, 16), strtol("0755", NULL, 0), strtol("z", NULL, 36));
	printf("rest [%s]\n", end);
	errno = 0;
	key = strtol("99999999999999999999", NULL, 10) == LONG_MAX;
	printf("strtol overflow %d ERANGE %d\n", key, errno == ERANGE);
	printf("strtoul %lu atoi %d %d\n", strtoul("4294967295", NULL, 10), atoi("  -77"), atoi("12abc"));
	printf("strtoll %lld %lld\n", strtoll("-9223372036854775808", NULL, 10), strtoll("123456789012", NULL, 10));
	for (size_t i = 0; i < sizeof(doubles) / sizeof(doubles[0]); i++) {
		double d;
		errno = 0;
		d = strtod(doubles[i], &end);
		unsigned long long bits;
		int erange = errno == ERANGE;
		memcpy(&bits, &d, sizeof(bits));
		printf("strtod(%s) = %08lx%08lx rest [%s] erange %d\n", doubles[i], (unsigned long)(bits >> 32),
		       (unsigned long)(bits & 0xffffffffu), end, erange);
	}

	for (int i = 0; i < 1000; i++) {
		seed = seed * 1103515245u + 12345u;
		nums[i] = (int)(seed >> 8) % 5000;
	}
	qsort(nums, 1000, sizeof(int), cmp_int);
	for (int i = 1; i < 1000; i++)
		sorted &= nums[i - 1] <= nums[i];
	key = nums[500];
	hit = bsearch(&key, nums, 1000, sizeof(int), cmp_int);
	printf("qsort sorted %d, bsearch found %d\n", sorted, hit && *hit == key);
	qsort(words, 10, sizeof(words[0]), cmp_str);
	for (int i = 0; i < 10; i++)
		printf("%s ", words[i]);
	printf("\n");

	for (int c = 0; c < 128; c++)
		if (isalpha(c) + isdigit(c) + isspace(c) + ispunct(c) + iscntrl(c) + isupper(c) + islower(c) + isxdigit(c))
			buf[0] = 0;
	printf("ctype: %d%d%d%d%d%d %c%c\n", !!isalpha('a'), !!isdigit('5'), !!isspace('\t'), !!ispunct('!'), !!isxdigit('F'), !!isalpha(0xE9),
	       toupper('q'), tolower('Q'));
	printf("abs %d labs %ld div %d\n", abs(-5), labs(-7L), div(17, 5).rem);
	return 0;
}
