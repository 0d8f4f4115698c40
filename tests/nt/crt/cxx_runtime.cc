// C++ linked against libstdc++-6.dll, libgcc_s_seh-1.dll and libwinpthread-1.dll, which import
// from msvcrt.dll themselves: exceptions, threads, iostreams, containers. The same output on Linux.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char **argv)
{
	std::vector<std::string> args(argv + 1, argv + argc);
	std::map<std::string, int> counts;
	for (const auto &a : args)
		counts[a]++;
	try {
		throw std::runtime_error("boom");
	} catch (const std::exception &e) {
		std::cout << "caught " << e.what() << "\n";
	}
	std::mutex mu;
	int total = 0;
	std::vector<std::thread> threads;
	for (int i = 0; i < 4; i++)
		threads.emplace_back([&, i] {
			std::lock_guard<std::mutex> g(mu);
			total += i;
		});
	for (auto &t : threads)
		t.join();
	std::ostringstream os;
	os << std::setprecision(10) << 3.14159265358979 << " " << std::hex << 255 << " " << std::dec << 1e-7;
	std::sort(args.begin(), args.end());
	std::cout << "args";
	for (const auto &a : args)
		std::cout << " [" << a << "]";
	std::cout << "\ndistinct " << counts.size() << " total " << total << " " << os.str() << std::endl;
	std::cerr << "to cerr\n";
	return 5;
}
