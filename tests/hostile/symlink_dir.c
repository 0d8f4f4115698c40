/* A symlink to the outside directory, then a file created through it. */
#include "hostile.h"

int main(int argc, char **argv)
{
	if (argc < 2 || symlink(argv[1], "link-to-dir") < 0)
		cannot("symlink");
	verdict(open("link-to-dir/dropped-through-link", O_CREAT | O_WRONLY, 0644), "create through a symlinked dir");
}
