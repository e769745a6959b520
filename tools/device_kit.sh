#!/bin/sh
# Packs what bench/capture_scaling.py needs on a machine with no package manager (the lent
# 16-core device machine): ringtrack, ringtrack-blast, ringtrack-pcapgen, decode_bench, ip,
# tcpdump, tcptrack and tmux, with every shared library they load, glibc's loader included,
# and the terminal descriptions tmux and tcptrack look up. Each program gets a wrapper in
# KIT/bin that starts it through the carried loader, so the kit runs whatever C library the
# other machine has. The Python helpers the script imports (tools/ringtrack_testlib) go to
# KIT/python.
#
#   tools/device_kit.sh [BUILD_DIR] [KIT_DIR]     (defaults: build, .devkit)
#   then, there:  PATH=$PWD/.devkit/bin:$PATH PYTHONPATH=$PWD/.devkit/python \
#                   python3 bench/capture_scaling.py --bin .devkit/bin
set -eu
build=${1:-build}
kit=${2:-.devkit}
rm -rf "$kit"
mkdir -p "$kit/bin" "$kit/real" "$kit/lib" "$kit/terminfo" "$kit/python/ringtrack_testlib"
cp "$(dirname "$0")"/ringtrack_testlib/*.py "$kit/python/ringtrack_testlib/"
for entry in s/screen t/tmux t/tmux-256color x/xterm x/xterm-256color; do
  for dir in /lib/terminfo /usr/share/terminfo; do
    if [ -e "$dir/$entry" ]; then
      mkdir -p "$kit/terminfo/${entry%%/*}"
      cp "$dir/$entry" "$kit/terminfo/$entry"
    fi
  done
done
for name in ip tcpdump; do
  command -v "$name" >/dev/null || { echo "device_kit.sh: $name is not installed (tools/setup.sh installs it)" >&2; exit 1; }
done
optional=""
for name in tcptrack tmux; do  # capture_scaling.py leaves tcptrack's row out without them
  if command -v "$name" >/dev/null; then optional="$optional $(command -v "$name")"
  else echo "device_kit.sh: $name not installed, left out" >&2; fi
done
for program in "$build/frontend/ringtrack" "$build/tools/blast/ringtrack-blast" \
               "$build/tools/pcapgen/ringtrack-pcapgen" "$build/bench/decode_bench" \
               "$(command -v ip)" "$(command -v tcpdump)" $optional; do
  [ -x "$program" ] || { echo "device_kit.sh: $program not built (ninja -C $build)" >&2; exit 1; }
  name=$(basename "$program")
  cp "$program" "$kit/real/$name"
  ldd "$program" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' |
    while read -r library; do cp -L "$library" "$kit/lib/"; done
  cat >"$kit/bin/$name" <<WRAPPER
#!/bin/sh
kit=\$(cd "\$(dirname "\$0")/.." && pwd)
export TERMINFO="\$kit/terminfo"
exec "\$kit/lib/ld-linux-x86-64.so.2" --library-path "\$kit/lib" --argv0 "$name" "\$kit/real/$name" "\$@"
WRAPPER
  chmod +x "$kit/bin/$name"
done
du -sh "$kit"
