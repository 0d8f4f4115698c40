// An allocation-heavy C++ program: strings in a map and vectors built and torn down (bench/run --table wine).
#include <cstdio>
#include <map>
#include <string>
#include <vector>

int main()
{
	unsigned long sum = 0;
	for (int round = 0; round < 20; round++) {
		std::map<std::string, std::vector<int>> m;
		for (int i = 0; i < 20000; i++) {
			std::vector<int> &v = m["key" + std::to_string(i * 7919 % 100003)];
			for (int k = 0; k < 8; k++)
				v.push_back(i + k);
		}
		for (auto &kv : m)
			sum += kv.first.size() + kv.second.size();
	}
	std::printf("%lu\n", sum);
	return 0;
}
