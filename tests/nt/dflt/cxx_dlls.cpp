// A C++17 program linked against the C++ runtime's DLLs (libstdc++-6.dll and libgcc_s_seh-1.dll of mingw-w64's
// win32 thread model, next to the program): exceptions across the DLL, iostreams, containers, and
// std::filesystem over kernel32 (hard links, disk space, directories). Its output is the Linux build's.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace fs = std::filesystem;

static int thrower(int n)
{
	if (n > 2)
		throw std::out_of_range("too far: " + std::to_string(n));
	return n * 10;
}

int main()
{
	std::map<std::string, int> m{{"b", 2}, {"a", 1}, {"c", 3}};
	std::ostringstream os;
	for (const auto &kv : m)
		os << kv.first << '=' << kv.second << ';';
	std::cout << os.str() << '\n';
	for (int i = 1; i < 5; i++) {
		try {
			std::cout << "value " << thrower(i) << '\n';
		} catch (const std::exception &e) {
			std::cout << "caught " << e.what() << '\n';
		}
	}
	std::error_code ec;
	fs::create_directories("cxx_tree/a/b", ec);
	std::cout << "created " << !ec << '\n';
	{
		std::ofstream f("cxx_tree/a/file.txt");
		f << "twelve bytes";
	}
	std::cout << "size " << fs::file_size("cxx_tree/a/file.txt") << '\n';
	fs::create_hard_link("cxx_tree/a/file.txt", "cxx_tree/a/b/link.txt", ec);
	std::cout << "hard link " << !ec << '\n';
	{
		std::ifstream f("cxx_tree/a/b/link.txt");
		std::string s;
		std::getline(f, s);
		std::cout << "through the link: " << s << '\n';
	}
	fs::create_hard_link("cxx_tree/a/file.txt", "cxx_tree/a/b/link.txt", ec);
	std::cout << "again: fails " << (ec ? 1 : 0) << ", file exists " << (ec == std::errc::file_exists) << '\n';
	fs::space_info sp = fs::space("cxx_tree", ec);
	std::cout << "space " << !ec << ' ' << (sp.capacity > 0) << ' ' << (sp.free <= sp.capacity) << ' '
		  << (sp.available <= sp.free) << '\n';
	std::cout << "message " << !std::generic_category().message(ENOENT).empty() << '\n';
	std::cout << "removed " << fs::remove_all("cxx_tree") << '\n';
	std::cout << "exists " << fs::exists("cxx_tree") << '\n';
	return 3;
}
