// An exception nobody catches: std::terminate, whose verbose handler names it on stderr, then abort().
// Windows' msvcrt ends such a program with status 3 (Linux: SIGABRT); the destructor does not run.
#include <cstdio>
#include <stdexcept>

struct Noisy {
	~Noisy() { std::puts("destructor ran"); }
};

static void thrower()
{
	Noisy n;
	throw std::runtime_error("nobody catches this");
}

int main()
{
	std::puts("before");
	std::fflush(stdout);
	thrower();
	std::puts("not reached");
	return 0;
}
