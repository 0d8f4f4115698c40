// The DLL of cxx_exceptions.cpp: exceptions leave it for the program, and the program's come into it.
#define CXX_LIB_BUILD
#include "cxx_lib.h"

#include <cstdio>
#include <stdexcept>

namespace {
struct LibGuard {
	int n;
	~LibGuard() { std::printf("lib guard %d released\n", n); }
};

int inner(int n)
{
	LibGuard g{n};
	if (n < 0)
		throw std::invalid_argument("negative " + std::to_string(n));
	return n * 2;
}
} // namespace

int lib_check(int n)
{
	LibGuard g{100 + n};
	return inner(n) + 1;
}

std::string lib_call(void (*cb)(int), int arg)
{
	try {
		LibGuard g{200 + arg};
		cb(arg);
	} catch (const std::exception &e) {
		return std::string("caught in lib: ") + e.what();
	}
	return "fine";
}
