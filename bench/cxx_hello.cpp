// Start to exit of a C++ program: iostream's start-up and one line (bench/run --table wine).
#include <iostream>

int main()
{
	std::cout << "hello from C++" << std::endl;
	return 0;
}
