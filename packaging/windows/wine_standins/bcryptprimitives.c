/* Stand-in for bcryptprimitives.dll, absent in Wine 8: the Rust standard library (pydantic_core)
 * imports ProcessPrng from it.  Fills the buffer from the system RNG through BCryptGenRandom.
 * Used by the Wine test harness only; never part of the bundle. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
