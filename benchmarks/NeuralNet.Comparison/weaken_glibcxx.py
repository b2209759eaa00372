#!/usr/bin/python3
"""Let libtorch's natives load on a system libstdc++ older than the one they were built against.

TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++ and asks for the symbol version
GLIBCXX_3.4.32; Debian 12 ships libstdc++ 12, which defines versions up to GLIBCXX_3.4.30, so the dynamic loader refuses
the library ("version `GLIBCXX_3.4.32' not found"). A version requirement is a Vernaux entry in the ELF section
.gnu.version_r; setting VER_FLG_WEAK (0x2) in its vna_flags turns the missing version into a warning-free soft
requirement (glibc's ld.so only reports weak versions with LD_WARN).

That is only safe when no symbol bound to the missing version is actually needed. For every weakened version this
script lists the dynamic symbols that carry it (via .gnu.version) and looks for a relocation that refers to them
(.rela.dyn, .rela.plt). A symbol with no relocation is never looked up by ld.so; the one found in libLibTorchSharp.so is
std::ios_base_library_init(), which GCC 13's <iostream> references only with `.globl` so that the link pulls in a
libstdc++ that initialises the standard streams itself. Nothing calls it; on libstdc++ 12 the streams are initialised by
the static ios_base::Init objects of the other translation units (libtorch_cpu.so's among them). A symbol that IS
relocated and not defined by the system library (under any version) makes the script fail, naming it, so that it can be
handled by a shim instead of crashing at run time.

Usage: /usr/bin/python3 weaken_glibcxx.py OUTPUT_DIR [SYSTEM_LIBSTDCXX]
Only the copies in OUTPUT_DIR are changed (never the NuGet cache: a hard-linked file is first replaced by a private
copy). Running it again changes nothing. Standard library only.
"""

import os
import shutil
import struct
import sys

SHT_RELA = 4
SHT_DYNSYM = 11
SHT_GNU_VERDEF = 0x6FFFFFFD
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
VER_FLG_WEAK = 0x2
LIBSTDCXX = "libstdc++.so.6"


class Elf:
    """The few parts of a little-endian ELF64 shared object that version requirements involve."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = bytearray(f.read())
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1:
            raise ValueError("not a little-endian ELF64 file")
        shoff, = struct.unpack_from("<Q", d, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", d, 0x3A)
        self.sections = []
        for i in range(shnum):
            name, stype, _flags, _addr, offset, size, link, info, _align, entsize = struct.unpack_from(
                "<IIQQQQIIQQ", d, shoff + i * shentsize)
            self.sections.append(dict(type=stype, offset=offset, size=size, link=link, info=info, entsize=entsize))

    def first(self, stype):
        return next((s for s in self.sections if s["type"] == stype), None)

    def string(self, strtab, offset):
        start = self.sections[strtab]["offset"] + offset
        return self.data[start:self.data.index(0, start)].decode()

    def defined_versions(self):
        """Names in .gnu.version_d (the versions a library provides)."""
        sec, names = self.first(SHT_GNU_VERDEF), set()
        if sec is None:
            return names
        pos = sec["offset"]
        for _ in range(sec["info"]):
            _ver, _flags, _ndx, cnt, _hash, aux, nxt = struct.unpack_from("<HHHHIII", self.data, pos)
            if cnt:
                name, = struct.unpack_from("<I", self.data, pos + aux)
                names.add(self.string(sec["link"], name))
            if nxt == 0:
                break
            pos += nxt
        return names

    def requirements(self):
        """(file, version name, version index, offset of vna_flags, flags) for each Vernaux of .gnu.version_r."""
        sec, result = self.first(SHT_GNU_VERNEED), []
        if sec is None:
            return result
        pos = sec["offset"]
        for _ in range(sec["info"]):
            _ver, cnt, vfile, aux, nxt = struct.unpack_from("<HHIII", self.data, pos)
            file = self.string(sec["link"], vfile)
            apos = pos + aux
            for _ in range(cnt):
                _hash, flags, other, name, anext = struct.unpack_from("<IHHII", self.data, apos)
                result.append((file, self.string(sec["link"], name), other, apos + 4, flags))
                if anext == 0:
                    break
                apos += anext
            if nxt == 0:
                break
            pos += nxt
        return result

    def dynamic_symbols(self):
        """[(name, is_undefined)] in .dynsym order."""
        sec = self.first(SHT_DYNSYM)
        result = []
        for i in range(sec["size"] // 24):
            name, _info, _other, shndx = struct.unpack_from("<IBBH", self.data, sec["offset"] + i * 24)
            result.append((self.string(sec["link"], name), shndx == 0))
        return result

    def symbol_versions(self):
        sec = self.first(SHT_GNU_VERSYM)
        return list(struct.unpack_from("<%dH" % (sec["size"] // 2), self.data, sec["offset"]))

    def relocated_symbols(self):
        """Indices into .dynsym that some dynamic relocation refers to."""
        dynsym = self.sections.index(self.first(SHT_DYNSYM))
        used = set()
        for sec in self.sections:
            if sec["type"] == SHT_RELA and sec["link"] == dynsym:
                for off in range(sec["offset"], sec["offset"] + sec["size"], 24):
                    _offset, info = struct.unpack_from("<QQ", self.data, off)
                    used.add(info >> 32)
        return used

    def dynamic_symbol_names(self):
        return {name for name, undefined in self.dynamic_symbols() if not undefined}


def system_libstdcxx():
    for d in ("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"):
        p = os.path.join(d, LIBSTDCXX)
        if os.path.exists(p):
            return os.path.realpath(p)
    raise SystemExit("weaken_glibcxx: no system " + LIBSTDCXX + " found; pass its path as the second argument")


def patch(path, provided, system_symbols):
    elf = Elf(path)
    missing = [r for r in elf.requirements() if r[0] == LIBSTDCXX and r[1] not in provided]
    if not missing:
        return False
    versions, symbols, relocated = elf.symbol_versions(), elf.dynamic_symbols(), elf.relocated_symbols()
    changed = False
    for _file, name, index, flags_at, flags in missing:
        bound = [i for i, v in enumerate(versions) if (v & 0x7FFF) == index and symbols[i][1]]
        needed = [symbols[i][0] for i in bound if i in relocated]
        unresolved = [s for s in needed if s not in system_symbols]
        if unresolved:
            raise SystemExit("weaken_glibcxx: %s really uses %s symbols the system %s lacks: %s (needs a shim)"
                             % (os.path.basename(path), name, LIBSTDCXX, ", ".join(unresolved)))
        print("weaken_glibcxx: %s: %s marked weak; symbols bound to it: %s; relocated (resolved by the system library): %s"
              % (os.path.basename(path), name, ", ".join(symbols[i][0] for i in bound) or "none", ", ".join(needed) or "none"))
        if not flags & VER_FLG_WEAK:
            struct.pack_into("<H", elf.data, flags_at, flags | VER_FLG_WEAK)
            changed = True
    if changed:
        if os.stat(path).st_nlink > 1:
            # A hard link into the package cache: write a private copy instead of changing the shared inode.
            tmp = path + ".tmp"
            shutil.copy2(path, tmp)
            os.replace(tmp, path)
        with open(path, "r+b") as f:
            f.write(elf.data)
    return changed


def main(argv):
    if len(argv) < 2:
        raise SystemExit(__doc__)
    folder = argv[1]
    system = Elf(argv[2] if len(argv) > 2 else system_libstdcxx())
    provided, system_symbols = system.defined_versions(), system.dynamic_symbol_names()
    patched = 0
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if ".so" not in name or not os.path.isfile(path) or os.path.islink(path):
            continue
        try:
            patched += patch(path, provided, system_symbols)
        except ValueError:
            continue
    print("weaken_glibcxx: %d file(s) changed in %s" % (patched, folder))


if __name__ == "__main__":
    main(sys.argv)
