// C++ exceptions on the NT personality (tests/e2e/nt_cxx_tests.py): thrown and caught across functions,
// across a DLL boundary (cxx_lib.dll) both ways, inside a std::thread and carried out of one, rethrown,
// with destructors running during unwinding (one catching its own exception meanwhile). Built static and
// with the runtime DLLs, posix and win32 thread models; the output must equal the Linux build's.
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>
#if !defined(_WIN32) || defined(_GLIBCXX_HAS_GTHREADS)
#include <thread>
#define HAVE_THREADS 1
#endif

#include "cxx_lib.h"

struct Tracer {
	std::string name;
	explicit Tracer(std::string n) : name(std::move(n)) { std::printf("make %s\n", name.c_str()); }
	~Tracer() { std::printf("destroy %s\n", name.c_str()); }
};

struct my_error : std::runtime_error {
	int code;
	my_error(const std::string &what, int c) : std::runtime_error(what), code(c) {}
};

static int level3(int x)
{
	Tracer t("level3");
	if (x > 2)
		throw my_error("too big: " + std::to_string(x), x);
	return x;
}

static int level2(int x)
{
	Tracer t("level2");
	std::vector<int> v(100, x);
	return level3(x) + v[99];
}

static int level1(int x)
{
	Tracer t("level1");
	try {
		return level2(x);
	} catch (const std::logic_error &) {
		std::puts("wrong handler");
		return -1;
	}
}

struct CatchesInDestructor {
	~CatchesInDestructor()
	{
		try {
			throw 42;
		} catch (int v) {
			std::printf("destructor caught its own %d during unwinding\n", v);
		}
	}
};

static void program_callback(int arg)
{
	Tracer t("callback");
	if (arg > 0)
		throw my_error("from the program " + std::to_string(arg), arg);
}

static std::exception_ptr in_thread(int n)
{
	std::exception_ptr carried;
	auto body = [&] {
		try {
			Tracer t("thread " + std::to_string(n));
			level1(n + 3);
		} catch (const my_error &e) {
			std::printf("thread caught: %s\n", e.what());
		}
		try {
			throw std::out_of_range("carried out of the thread");
		} catch (...) {
			carried = std::current_exception();
		}
	};
#ifdef HAVE_THREADS
	std::thread th(body);
	th.join();
#else
	body(); // the win32 thread model of GCC 12 has no std::thread: the same steps on this thread
#endif
	return carried;
}

int main()
{
	for (int x : {1, 5}) {
		try {
			std::printf("level1(%d) = %d\n", x, level1(x));
		} catch (const my_error &e) {
			std::printf("caught: %s (code %d)\n", e.what(), e.code);
		}
	}
	try {
		try {
			CatchesInDestructor c;
			throw std::length_error("first");
		} catch (const std::exception &e) {
			std::printf("rethrowing %s\n", e.what());
			throw;
		}
	} catch (const std::length_error &e) {
		std::printf("caught rethrown %s\n", e.what());
	}
	try {
		std::printf("lib_check(3) = %d\n", lib_check(3));
		std::printf("lib_check(-4) = %d\n", lib_check(-4));
	} catch (const std::invalid_argument &e) {
		std::printf("caught from the DLL: %s\n", e.what());
	}
	std::printf("%s\n", lib_call(program_callback, 0).c_str());
	std::printf("%s\n", lib_call(program_callback, 7).c_str());
	std::exception_ptr p = in_thread(1);
	try {
		std::rethrow_exception(p);
	} catch (const std::out_of_range &e) {
		std::printf("rethrown in main: %s\n", e.what());
	}
	std::map<std::string, int> m{{"a", 1}};
	try {
		m.at("missing");
	} catch (const std::out_of_range &) {
		std::puts("map::at threw out_of_range");
	}
	try {
		throw "a C string";
	} catch (const char *s) {
		std::printf("caught const char*: %s\n", s);
	}
	std::fflush(stdout);
	return 3;
}
