// The DLL side of cxx_exceptions.cpp (cxx_lib.cpp): built as cxx_lib.dll for Windows, linked in for Linux.
#include <string>

#if defined(_WIN32) && defined(CXX_LIB_BUILD)
#define CXX_LIB_API __declspec(dllexport)
#elif defined(_WIN32)
#define CXX_LIB_API __declspec(dllimport)
#else
#define CXX_LIB_API
#endif

// Throws std::invalid_argument from inside the DLL when n is negative, through two of its frames.
CXX_LIB_API int lib_check(int n);
// Calls cb (the program's code) and catches what it throws inside the DLL: "caught in lib: <what>", or "fine".
CXX_LIB_API std::string lib_call(void (*cb)(int), int arg);
