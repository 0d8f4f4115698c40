// C++ exceptions built with mingw-w64's g++ -static: libgcc's SEH unwinder raises them with RaiseException and
// unwinds with RtlUnwindEx (ntdll's dispatch and unwinder); destructors of the frames in between run.
#include <cstdio>
#include <stdexcept>
#include <string>

struct Noisy {
	const char *name;
	~Noisy() { std::printf("destroyed %s\n", name); }
};

static int depth(int n)
{
	Noisy here{n == 2 ? "two" : "other"};
	if (n == 0)
		throw std::runtime_error("deep " + std::to_string(n));
	return depth(n - 1) + 1;
}

int main()
{
	int caught = 0;
	for (int round = 0; round < 3; round++) {
		try {
			depth(3);
		} catch (const std::exception &e) {
			std::printf("caught: %s\n", e.what());
			caught++;
		}
	}
	try {
		throw 42;
	} catch (int v) {
		std::printf("caught int %d\n", v);
	}
	return caught + 1;
}
