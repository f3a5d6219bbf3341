/* The six C99 complex accessors Wine 8's ucrtbase.dll leaves unimplemented (numpy 2 calls
 * them at import).  Built into a proxy ucrtbase.dll whose every other export forwards to Wine's
 * own ucrtbase (renamed; the .def file is generated from its export table).  MSVC x64 ABI: the
 * 8-byte float complex comes in a register, the 16-byte double complex by reference (mingw GCC
 * passes these structs the same way); long double is double.
 * Used by the Wine test harness only; never part of the bundle. */
typedef struct { float v[2]; } fcomplex;
typedef struct { double v[2]; } dcomplex;

float proxy_crealf(fcomplex z) { return z.v[0]; }
float proxy_cimagf(fcomplex z) { return z.v[1]; }
double proxy_creal(dcomplex z) { return z.v[0]; }
double proxy_cimag(dcomplex z) { return z.v[1]; }
double proxy_creall(dcomplex z) { return z.v[0]; }
double proxy_cimagl(dcomplex z) { return z.v[1]; }
