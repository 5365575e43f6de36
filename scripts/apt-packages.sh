# Sourced by the set-up scripts: `apt_packages TAG PACKAGE...` installs the Debian packages
# not yet installed (one `apt-get update` first), as root or through sudo; nothing is
# fetched when all are there. TAG prefixes the messages.
apt_packages() {
    local tag=$1 p sudo=""
    shift
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "$tag: installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "$tag: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
        sudo=sudo
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
