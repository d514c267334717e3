# plumbline remote gatherer: read-only, POSIX sh, nothing installed, written or changed on the host.
# Arguments: a nonce, then one hex-encoded request per argument (hex is inert to any login shell), or `-`: the
# requests follow on standard input, one hex line each, then a line ".".
# A decoded request is fields separated by byte 001: R path | L dir | K path | G take pattern [links prefix] |
# X id secs argv... A glob with links and prefix is filtered: only the directories its first wildcard component
# matches that hold a link (links, a pattern under them) whose target starts with prefix are walked further.
# Output, after a line holding the nonce (anything before it, a banner or motd, is skipped):
#   frames "TAG ERRNO PATHLEN DATALEN\n" followed by PATHLEN bytes of path and DATALEN bytes of data, and a
#   final "Z - 0 0\n". R file, L listing (names joined by /), K a link that is none, Q `ls -ldq` lines of links, P the
#   same of a link glob's last component (whose names are their directories' listings), O a program's stdout,
#   E its stderr (ERRNO: its exit status; PATH of O, E and H: the X request's id), H a file or stdout as od hex (when awk cannot carry any byte).
main() {
  LC_ALL=C; export LC_ALL
  nonce=$1; shift
  nl='
'
  soh=$(printf '\001')
  reads=; links=; linkpats=; listed=; runs=; filtered=
  # Whether this awk reads a whole file of any bytes as one record (mawk and gawk do, busybox's does not): its
  # length and the record itself, 1 + 7 bytes, come through only then.
  if [ "$(printf 'a\000b\nc^d' | awk 'BEGIN { RS = "^$" } { printf "%d%s", length($0), $0 }' 2>/dev/null | wc -c)" -eq 8 ]; then wholeawk=1; else wholeawk=; fi
  if command -v timeout >/dev/null 2>&1; then killer=1; else killer=; fi
  printf '\n%s\n' "$nonce"
  decode='BEGIN { h = "0123456789abcdef" }
    { s = ""; for (i = 1; i < length($0); i += 2) s = s sprintf("%c", (index(h, substr($0, i, 1)) - 1) * 16 + index(h, substr($0, i + 1, 1)) - 1); print s }'
  # A batch too large for a command line comes on standard input instead, one hex line per request, written by
  # the auditor only once this nonce has reached it: the shell has read the whole program by then, so no byte of
  # the batch is in its buffer. A line "." ends it, as the auditor may hold the input open after it (the shell then
  # waits there, after main, for the input to end: how the master's own session outlives its batch). sed stops at
  # that line; awk could not, as mawk reads on until its buffer is full or the input ends.
  if [ "$1" = - ]; then sed -n '/^[.]$/q;p' | awk "$decode"; else printf '%s\n' "$@" | awk "$decode"; fi |
  {
    while IFS= read -r req; do
      IFS=$soh; set -f; set -- $req; set +f; IFS=
      [ $# -gt 0 ] || continue
      op=$1; shift
      case $op in
        R) acc=; want_read "$1"; reads=$reads$acc ;;
        L) list "$1" ;;
        K) acc=; want_link "$1"; links=$links$acc ;;
        # A glob's matches gather in a list of their own, joined to the batch's once: the shell copies a string
        # whole at every append, and one list of every match of every glob would be copied at each.
        G)
          # A filtered glob waits for the links that judge its filter.
          if [ $# -ge 4 ]; then filtered="${filtered}${req}${nl}"; continue; fi
          take=$1; IFS=/; set -f; set -- ${2#/}; set +f; IFS=; acc=; walk '' "$@"
          if [ "$take" = link ]; then links=$links$acc; else reads=$reads$acc; fi ;;
        X) runs="${runs}${req}${nl}" ;;
      esac
    done
    # The plain reads (the kernel's settings and tables) go out before the processes' files, which are most of the
    # bytes: an answer cut off half-way still carries them.
    read_all; reads=
    link_globs
    IFS=$nl; set -f
    for req in $filtered; do IFS=$soh; set -f; set -- $req; IFS=$nl; shift; filter "$@"; done
    set +f; IFS=
    read_all
    link_all
    IFS=$nl; set -f
    for req in $runs; do IFS=$soh; set -- $req; IFS=$nl; shift; run "$@"; done
    set +f; IFS=
    printf 'Z - 0 0\n'
  } || exit 1
  # The shell now waits on its input, which the auditor may hold open (the master's own session): unless the
  # answer could not be written to the end, and nobody is there to read it.
}

frame() { printf '%s %s %s %s\n%s%s' "$1" "$2" "${#3}" "${#4}" "$3" "$4"; }

want_read() {
  if [ -d "$1" ]; then frame R EISDIR "$1" ''
  elif [ -r "$1" ]; then acc=$acc$1$nl
  elif [ -e "$1" ]; then frame R EACCES "$1" ''
  else frame R ENOENT "$1" ''; fi
}

want_link() {
  if [ -L "$1" ]; then acc=$acc$1$nl
  elif [ -e "$1" ]; then frame K EINVAL "$1" ''
  else frame K ENOENT "$1" ''; fi
}

# A directory's entry names, joined by / (the one byte no name holds).
list() {
  case $listed in *"$nl$1$nl"*) return ;; esac
  listed="${listed:-$nl}$1$nl"
  if [ ! -e "$1" ]; then frame L ENOENT "$1" ''; return; fi
  if [ ! -d "$1" ]; then frame L ENOTDIR "$1" ''; return; fi
  if [ ! -r "$1" ] || [ ! -x "$1" ]; then frame L EACCES "$1" ''; return; fi
  names=
  for n in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    # A pattern that matched nothing stands as itself.
    case $n in "$1/*" | "$1/.[!.]*" | "$1/..?*") [ -e "$n" ] || [ -L "$n" ] || continue ;; esac
    names="${names}${names:+/}${n##*/}"
  done
  frame L - "$1" "$names"
}

# One glob: the listing of every directory a wildcard component is matched in, then each match read or linked.
walk() {
  base=$1; shift
  if [ $# -eq 0 ]; then
    if [ "$take" = link ]; then want_link "$base"; else want_read "$base"; fi
    return
  fi
  part=$1; shift
  case $part in
    *[*?[]*)
      # The last component's links are read in one go at the end (link_globs), not one test per link, and the
      # names ls gives are the directory's listing as well: it is listed here only when it cannot be read.
      if [ $# -eq 0 ] && [ "$take" = link ]; then
        if [ -r "${base:-/}" ] && [ -x "${base:-/}" ] && [ -d "${base:-/}" ]; then linkpats="${linkpats}$base/$part${nl}"; else list "${base:-/}"; fi
        return
      fi
      list "${base:-/}"
      for m in "$base"/$part; do
        case ${m##*/} in .*) continue ;; esac
        # A pattern that matched nothing stands as itself.
        if [ "$m" = "$base/$part" ] && [ ! -e "$m" ] && [ ! -L "$m" ]; then continue; fi
        walk "$m" "$@"
      done ;;
    *) walk "$base/$part" "$@" ;;
  esac
}

read_all() {
  [ -n "$reads" ] || return 0
  if [ -n "$wholeawk" ]; then
    printf '%s' "$reads" | awk 'BEGIN { RS = "\n" } {
      f = $0; RS = "^$"; d = ""; r = (getline d < f); close(f); RS = "\n"
      if (r < 0) printf "R EACCES %d 0\n%s", length(f), f
      else printf "R - %d %d\n%s%s", length(f), length(d), f, d }'
  else
    IFS=$nl; set -f
    for f in $reads; do
      if d=$(od -An -v -tx1 <"$f" 2>/dev/null); then frame H - "$f" "$d"; else frame R EACCES "$f" ''; fi
    done
    set +f; IFS=
  fi
}

link_all() {
  [ -n "$links" ] || return 0
  IFS=$nl; set -f; set -- $links; set +f; IFS=
  frame Q - '' "$(ls -ldq -- "$@" 2>/dev/null </dev/null)"
}

# The links of the globs whose last component is a wildcard, in one ls: each pattern expands to the links it
# matches (hidden names never match a wildcard, as in the walk); one that matches nothing stays as it is, and ls
# only complains of it on the standard error it does not keep. Kept in $linked for the filtered globs.
link_globs() {
  linked=
  [ -n "$linkpats" ] || return 0
  IFS=$nl; set -- $linkpats; IFS=
  linked=$(ls -ldq -- "$@" 2>/dev/null </dev/null)
  frame P - '' "$linked"
}

# A filtered glob: take pattern links prefix. The directories its first wildcard component matches that hold a
# link under links with a target starting with prefix are found in the ls lines of $linked (`... PATH -> TARGET`,
# the path after the first " /", as the auditor reads them), then walked with the rest of the pattern.
filter() {
  take=$1 links_of=$3 prefix=$4
  IFS=/; set -f; set -- ${2#/}; set +f
  anchor=
  while [ $# -gt 0 ]; do
    anchor="$anchor/$1"; shift
    case ${anchor##*/} in *[*?[]*) break ;; esac
  done
  rest=$*; IFS=
  # As many components as the links pattern has are taken off a link's path to give its directory.
  depth=1 d=$links_of
  while :; do case $d in */*) d=${d#*/}; depth=$((depth + 1)) ;; *) break ;; esac; done
  key="$links_of$soh$prefix"
  if [ "$key" != "${passed_key-}" ]; then
    passed_key=$key
    passed=$(printf '%s\n' "$linked" | PRE=$prefix awk -v n="$depth" 'BEGIN { pre = ENVIRON["PRE"] } /^l/ {
      s = index($0, " /"); a = index($0, " -> "); if (s == 0 || a == 0) next
      if (substr($0, a + 4, length(pre)) != pre) next
      p = substr($0, s + 1, a - s - 1)
      for (i = 0; i < n; i++) sub(/\/[^\/]*$/, "", p)
      if (!(p in seen)) { seen[p] = 1; print p } }')
  fi
  acc=
  IFS=$nl; set -f
  for d in $passed; do
    # Only the directories of this pattern: the ls lines hold every link glob's links.
    case $d in
      $anchor) IFS=/; set -- $rest; IFS=$nl; set +f; walk "$d" "$@"; set -f ;;
    esac
  done
  set +f; IFS=
  if [ "$take" = link ]; then links=$links$acc; else reads=$reads$acc; fi
}

run() {
  id=$1 secs=$2; shift 2
  if ! command -v "$1" >/dev/null 2>&1; then frame E 127 "$id" "$1: command not found"; return; fi
  if [ -n "$killer" ]; then set -- timeout -s KILL "$secs" "$@"; fi
  # The program's stdout goes framed straight out; its stderr and exit status are caught here.
  if [ -n "$wholeawk" ]; then
    err=$( { { "$@" 2>&3 </dev/null; printf ' %s' "$?" >&3; } | awk -v id="$id" 'BEGIN { RS = "^$" } { d = $0 } END { printf "O - %d %d\n%s%s", length(id), length(d), id, d }' >&4; } 3>&1 )
  else
    err=$( { { "$@" 2>&3 </dev/null; printf ' %s' "$?" >&3; } | { out=$(od -An -v -tx1); frame H - "$id" "$out"; } >&4; } 3>&1 )
  fi
  rc=${err##*[!0-9]}
  frame E "${rc:-255}" "$id" "${err% *}"
} 4>&1

main "$@"
