#!/bin/sh
# install.sh end to end: fresh install, reinstall, chaining, uninstall,
# --repo, --all, worktrees, core.hooksPath, --global, --dry-run.
# No apt-get and no build here: --no-deps --no-build, prefix under $TRASH.
. "$(dirname "$0")/lib.sh"

P=$TRASH/prefix
inst() { "$LEAKGATE_ROOT/install.sh" --no-deps --no-build --prefix "$P" "$@"; }
# snapshot DIR: every file under DIR with its mode and checksum.
snapshot() { (cd "$1" && find . -type f -exec sh -c 'for f; do printf "%s %s " "$f" "$(stat -c %a "$f")"; cksum <"$f"; done' sh {} + | sort); }
# key_commit: stage a fresh key in the current repository and try to commit.
stage_key() { echo "token = $(fake_key github)" >"${1:-app.py}" && git add -- "${1:-app.py}"; }
stage_clean() { echo "print(${1:-1})" >"${2:-clean.py}" && git add -- "${2:-clean.py}"; }

test_expect_success 'install.sh --help prints usage and exits 0' '
    "$LEAKGATE_ROOT/install.sh" --help >help.txt &&
    grep -q -- "--uninstall" help.txt && grep -q -- "--global" help.txt &&
    grep -q -- "--dry-run" help.txt &&
    test_exit 1 "$LEAKGATE_ROOT/install.sh" --no-such-option 2>err.txt &&
    grep -q "unknown option" err.txt
'

test_expect_success 'fresh install: binary in PREFIX/bin, hook installed, key blocked, clean passes' '
    git init -q fresh && cd fresh &&
    inst >../out1.txt 2>&1 && cat ../out1.txt &&
    test -x "$P/bin/leakgate" && cmp "$LEAKGATE_ROOT/leakgate" "$P/bin/leakgate" &&
    test -x .git/hooks/pre-commit &&
    grep -q "^prefix=.$P.  " .git/hooks/pre-commit &&
    stage_key && test_blocked git commit -m key &&
    git reset -q && rm app.py && stage_clean && test_allowed git commit -q -m clean &&
    assert_no_secret ../out1.txt out.txt
'

test_expect_success 'installed hook finds the binary in the recorded prefix when PATH lacks it' '
    git init -q pfx && cd pfx && inst >/dev/null 2>&1 &&
    stage_key &&
    (PATH=/usr/bin:/bin && export PATH && ! command -v leakgate >/dev/null &&
     test_blocked git commit -m key) &&
    ! grep -q "was not found" out.txt
'

test_expect_success 'reinstall changes nothing and says so' '
    git init -q again && cd again && inst >/dev/null 2>&1 &&
    snapshot .git/hooks >../before.txt &&
    inst >../out2.txt 2>&1 && cat ../out2.txt &&
    snapshot .git/hooks >../after.txt && cmp ../before.txt ../after.txt &&
    grep -q "pre-commit: already installed" ../out2.txt &&
    grep -q "up to date" ../out2.txt &&
    ! ls .git/hooks | grep -q leakgate-chained
'

test_expect_success 'an existing hook is chained: both run, either blocks' '
    git init -q chain && cd chain &&
    printf "#!/bin/sh\necho ran >>\"\$(git rev-parse --git-dir)/chained.log\"\ngrep -q FORBIDDEN clean.py 2>/dev/null && { echo chained says no >&2; exit 7; }\nexit 0\n" >.git/hooks/pre-commit &&
    chmod 755 .git/hooks/pre-commit &&
    inst >../out.txt 2>&1 && cat ../out.txt &&
    grep -q "kept the existing hook" ../out.txt &&
    test -x .git/hooks/pre-commit.leakgate-chained &&
    grep -q "leakgate-hook" .git/hooks/pre-commit &&
    stage_clean && test_allowed git commit -q -m one &&
    test "$(wc -l <.git/chained.log)" -eq 1 &&
    stage_key && test_blocked git commit -m key &&
    test "$(wc -l <.git/chained.log)" -eq 2 &&
    git reset -q && rm app.py &&
    echo FORBIDDEN >clean.py && git add clean.py &&
    test_blocked git commit -m forbidden && grep -q "chained says no" out.txt &&
    test "$(wc -l <.git/chained.log)" -eq 3
'

test_expect_success 'reinstall over a chained hook keeps the chain as it is' '
    git init -q chain2 && cd chain2 &&
    printf "#!/bin/sh\nexit 0\n" >.git/hooks/pre-commit && chmod 700 .git/hooks/pre-commit &&
    inst >/dev/null 2>&1 && snapshot .git/hooks >../b.txt &&
    inst >../o.txt 2>&1 && snapshot .git/hooks >../a.txt && cmp ../b.txt ../a.txt &&
    ! grep -q "kept the existing" ../o.txt
'

test_expect_success 'uninstall restores the previous hook byte for byte, mode included' '
    git init -q unin && cd unin &&
    printf "#!/bin/sh\n# my own hook\r\nexit 0\n" >.git/hooks/pre-commit &&
    printf "#!/bin/sh\nexit 0\n" >.git/hooks/pre-push &&
    chmod 751 .git/hooks/pre-commit && chmod 700 .git/hooks/pre-push &&
    snapshot .git/hooks >../before.txt &&
    inst --hooks pre-commit,pre-push >/dev/null 2>&1 &&
    ! cmp -s ../before.txt "$(snapshot .git/hooks >../mid.txt; echo ../mid.txt)" &&
    inst --uninstall >../out.txt 2>&1 && cat ../out.txt &&
    snapshot .git/hooks >../after.txt && cmp ../before.txt ../after.txt &&
    grep -q "restored the previous hook" ../out.txt
'

test_expect_success 'uninstall without a previous hook removes only leakgate files' '
    git init -q unin2 && cd unin2 && snapshot .git/hooks >../before.txt &&
    echo "#!/bin/sh" >.git/hooks/post-commit &&
    inst >/dev/null 2>&1 && test -f .git/hooks/pre-commit &&
    inst --uninstall >/dev/null 2>&1 &&
    test ! -e .git/hooks/pre-commit && test -f .git/hooks/post-commit &&
    rm .git/hooks/post-commit && snapshot .git/hooks >../after.txt &&
    cmp ../before.txt ../after.txt &&
    stage_key && test_allowed git commit -q -m "no hook any more"
'

test_expect_success 'uninstall leaves a foreign hook alone; --purge removes the binary' '
    git init -q foreign && cd foreign &&
    printf "#!/bin/sh\nexit 0\n" >.git/hooks/pre-commit && chmod 755 .git/hooks/pre-commit &&
    cp .git/hooks/pre-commit ../orig &&
    inst --uninstall >../out.txt 2>&1 && cat ../out.txt &&
    cmp ../orig .git/hooks/pre-commit && grep -q "not leakgate" ../out.txt &&
    inst >/dev/null 2>&1 && test -x "$P/bin/leakgate" &&
    inst --uninstall --purge >/dev/null 2>&1 && test ! -e "$P/bin/leakgate" &&
    cmp ../orig .git/hooks/pre-commit
'

test_expect_success 'a foreign hook next to an existing .leakgate-chained is refused, not touched' '
    git init -q clash && cd clash &&
    printf "#!/bin/sh\nexit 0\n" >.git/hooks/pre-commit &&
    printf "#!/bin/sh\nexit 1\n" >.git/hooks/pre-commit.leakgate-chained &&
    chmod 755 .git/hooks/pre-commit .git/hooks/pre-commit.leakgate-chained &&
    snapshot .git/hooks >../before.txt &&
    test_exit 1 inst --hooks pre-commit 2>../err.txt && cat ../err.txt &&
    grep -q "already exists" ../err.txt &&
    snapshot .git/hooks >../after.txt && cmp ../before.txt ../after.txt
'

test_expect_success '--dry-run changes nothing' '
    git init -q dry && cd dry &&
    printf "#!/bin/sh\nexit 0\n" >.git/hooks/pre-commit && chmod 755 .git/hooks/pre-commit &&
    snapshot .git/hooks >../before.txt &&
    inst --dry-run --prefix "$TRASH/dryprefix" >../out.txt 2>&1 && cat ../out.txt &&
    grep -q "would" ../out.txt &&
    test ! -e "$TRASH/dryprefix" &&
    snapshot .git/hooks >../after.txt && cmp ../before.txt ../after.txt
'

test_expect_success '--dry-run checks dependencies without installing any' '
    "$LEAKGATE_ROOT/install.sh" --dry-run --no-build --no-hook --prefix "$TRASH/dp" >out.txt 2>&1 </dev/null
    rc=$?; cat out.txt; test $rc -eq 0 &&
    grep -qE "dependencies: (all installed|missing)|not a Debian" out.txt &&
    test ! -e "$TRASH/dp"
'

test_expect_success '--repo DIR installs into another repository' '
    git init -q other && mkdir elsewhere && cd elsewhere &&
    inst --repo ../other >/dev/null 2>&1 &&
    test -x ../other/.git/hooks/pre-commit && test ! -e .git &&
    cd ../other && stage_key && test_blocked git commit -m key
'

test_expect_success 'outside a repository and without targets, only the binary is installed' '
    mkdir nowhere && cd nowhere &&
    GIT_CEILING_DIRECTORIES=$TRASH inst >../out.txt 2>&1 && cat ../out.txt &&
    grep -q "not inside a git repository" ../out.txt
'

test_expect_success '--all DIR installs into every repository below DIR, worktrees included' '
    mkdir -p code/a code/deep/b code/notrepo &&
    git init -q code/a && git init -q code/deep/b && git init -q --bare code/bare.git &&
    (cd code/a && stage_clean && git commit -q -m init --no-verify &&
     git worktree add -q ../a-wt 2>/dev/null) &&
    test_exit 0 inst --all code >out.txt 2>&1; cat out.txt &&
    test -x code/a/.git/hooks/pre-commit && test -x code/deep/b/.git/hooks/pre-commit &&
    test ! -e code/bare.git/hooks/pre-commit &&
    cd code/a-wt && stage_key && test_blocked git commit -m key-in-worktree
'

test_expect_success 'a linked worktree: the hook goes to the common hooks directory' '
    git init -q main && cd main && stage_clean && git commit -q -m init &&
    git worktree add -q ../wt && cd ../wt &&
    inst >../out.txt 2>&1 && cat ../out.txt &&
    test -x ../main/.git/hooks/pre-commit &&
    stage_key && test_blocked git commit -m key &&
    cd ../main && stage_key other.py && test_blocked git commit -m key
'

test_expect_success 'core.hooksPath outside the repository: installed there' '
    git init -q hp && cd hp && mkdir ../shared-hooks &&
    git config core.hooksPath "$TEST_DIR/shared-hooks" &&
    inst >../out.txt 2>&1 && cat ../out.txt &&
    grep -q "core.hooksPath" ../out.txt &&
    test -x ../shared-hooks/pre-commit && test ! -e .git/hooks/pre-commit &&
    stage_key && test_blocked git commit -m key
'

test_expect_success 'core.hooksPath inside the repository: refused with the reason, nothing written' '
    git init -q hp2 && cd hp2 && mkdir .githooks &&
    printf "#!/bin/sh\nexit 0\n" >.githooks/pre-commit && chmod 755 .githooks/pre-commit &&
    git config core.hooksPath .githooks &&
    snapshot . >../before.txt &&
    test_exit 1 inst 2>../err.txt; cat ../err.txt &&
    grep -q "inside the repository" ../err.txt && grep -q "Other hook managers" ../err.txt &&
    snapshot . >../after.txt && cmp ../before.txt ../after.txt
'

test_expect_success '--global: git init and git clone get the hook; --uninstall --global undoes it' '
    inst --global >out.txt 2>&1 && cat out.txt &&
    td=$(git config --global init.templateDir) && test -n "$td" &&
    test -x "$td/hooks/pre-commit" &&
    git init -q g1 && test -x g1/.git/hooks/pre-commit &&
    (cd g1 && stage_clean && test_allowed git commit -q -m one) &&
    git clone -q g1 g2 && test -x g2/.git/hooks/pre-commit &&
    (cd g2 && stage_key && test_blocked git commit -m key) &&
    inst --global >again.txt 2>&1 && grep -q "already installed" again.txt &&
    inst --global --uninstall >un.txt 2>&1 && cat un.txt &&
    test -z "$(git config --global init.templateDir)" && test ! -e "$td" &&
    git init -q g3 && test ! -e g3/.git/hooks/pre-commit
'

test_expect_success '--global uses an existing init.templateDir and keeps its hook' '
    mkdir -p mytpl/hooks && printf "#!/bin/sh\nexit 0\n" >mytpl/hooks/pre-commit &&
    chmod 755 mytpl/hooks/pre-commit && cp mytpl/hooks/pre-commit orig &&
    git config --global init.templateDir "$TEST_DIR/mytpl" &&
    inst --global >/dev/null 2>&1 &&
    test "$(git config --global init.templateDir)" = "$TEST_DIR/mytpl" &&
    cmp orig mytpl/hooks/pre-commit.leakgate-chained &&
    git init -q t1 && test -x t1/.git/hooks/pre-commit.leakgate-chained &&
    inst --global --uninstall >/dev/null 2>&1 &&
    test "$(git config --global init.templateDir)" = "$TEST_DIR/mytpl" &&
    cmp orig mytpl/hooks/pre-commit && test ! -e mytpl/hooks/pre-commit.leakgate-chained &&
    git config --global --unset init.templateDir
'

test_expect_success '--global never replaces a global core.hooksPath' '
    mkdir ghooks && git config --global core.hooksPath "$TEST_DIR/ghooks" &&
    inst --global >out.txt 2>&1 && cat out.txt &&
    test "$(git config --global core.hooksPath)" = "$TEST_DIR/ghooks" &&
    test -x ghooks/pre-commit && test -z "$(git config --global init.templateDir)" &&
    git init -q gh && cd gh && stage_key && test_blocked git commit -m key &&
    cd .. && git config --global core.hooksPath .githooks &&
    test_exit 1 inst --global 2>err.txt; cat err.txt &&
    test "$(git config --global core.hooksPath)" = .githooks &&
    grep -q "not changing your core.hooksPath" err.txt &&
    git config --global --unset core.hooksPath
'

test_expect_success '--global with --all: existing clones too' '
    git init -q ex1 && git init -q ex2 && mkdir ex && mv ex1 ex2 ex/ &&
    inst --global --all ex >/dev/null 2>&1 &&
    test -x ex/ex1/.git/hooks/pre-commit && test -x ex/ex2/.git/hooks/pre-commit &&
    git init -q new && test -x new/.git/hooks/pre-commit &&
    inst --global --uninstall >/dev/null 2>&1 && test -z "$(git config --global init.templateDir)"
'

# Fake package tools: dpkg-query answers from ./installed, apt-get logs its
# call and "installs" into ./installed; npm only logs.
fake_debian() {
    mkdir -p fakebin && : >installed && : >apt.log &&
    printf "#!/bin/sh\np=\$3\ngrep -qx \"\$p\" %s/installed && { printf \"install ok installed\"; exit 0; }\necho \"dpkg-query: no packages found matching \$p\" >&2; exit 1\n" "$PWD" >fakebin/dpkg-query &&
    printf "#!/bin/sh\necho \"DEBIAN_FRONTEND=\$DEBIAN_FRONTEND \$*\" >>%s/apt.log\n[ \"\$1\" = install ] || exit 0\nfor a; do case \$a in -*|install) ;; *) echo \$a >>%s/installed ;; esac; done\n" "$PWD" "$PWD" >fakebin/apt-get &&
    printf "#!/bin/sh\necho amd64\n" >fakebin/dpkg &&
    printf "#!/bin/sh\necho npm \"\$@\" >>%s/apt.log\nexit 1\n" "$PWD" >fakebin/npm &&
    chmod +x fakebin/*
}
deps_run() {
    PATH="$PWD/fakebin:$PATH" "$LEAKGATE_ROOT/install.sh" --no-build --no-hook --prefix "$PWD/p" "$@" </dev/null
}

test_expect_success 'dependencies: apt-get installs only what is missing; a second run installs nothing' '
    fake_debian && printf "git\nperl\nbuild-essential\n" >installed &&
    deps_run >out1.txt 2>&1; cat out1.txt apt.log &&
    grep -q "^DEBIAN_FRONTEND=noninteractive update" apt.log &&
    grep "^DEBIAN_FRONTEND=noninteractive install" apt.log >inst.log &&
    for p in pkg-config libgit2-dev libhyperscan-dev libinih-dev libpcre2-dev pre-commit; do
        grep -qw -- "$p" inst.log || { echo "not installed: $p"; return 1; }
    done &&
    ! grep -qw git inst.log && ! grep -qw perl inst.log && grep -q -- " -y " inst.log &&
    : >apt.log && deps_run >out2.txt 2>&1; cat out2.txt &&
    ! grep -q DEBIAN_FRONTEND apt.log && grep -q "all installed, nothing to do" out2.txt
'

test_expect_success 'dependencies: --no-test-deps leaves out the test tools' '
    fake_debian && deps_run --no-test-deps >out.txt 2>&1; cat out.txt apt.log &&
    grep -qw libgit2-dev apt.log && ! grep -qw pre-commit apt.log && ! grep -q "^npm" apt.log
'

test_expect_success 'dependencies: not root, apt-get runs through sudo' '
    fake_debian && printf "#!/bin/sh\necho 1000\n" >fakebin/id &&
    printf "#!/bin/sh\necho sudo \"\$@\" >>%s/apt.log\nexec \"\$@\"\n" "$PWD" >fakebin/sudo &&
    chmod +x fakebin/id fakebin/sudo &&
    deps_run --no-test-deps >out.txt 2>&1; cat out.txt apt.log &&
    grep -q "^sudo env DEBIAN_FRONTEND=noninteractive apt-get install" apt.log
'

test_expect_success 'dependencies: elsewhere, missing libraries are listed and install.sh stops' '
    mkdir -p fakebin && for t in git make cc sh sed cat dirname grep id; do
        ln -s "$(command -v $t)" fakebin/$t || return 1; done &&
    printf "#!/bin/sh\nexit 1\n" >fakebin/pkg-config && chmod +x fakebin/pkg-config &&
    PATH="$PWD/fakebin" test_exit 1 "$LEAKGATE_ROOT/install.sh" --no-build --no-hook --prefix "$PWD/p" 2>err.txt </dev/null;
    cat err.txt && grep -q "not a Debian" err.txt && grep -q libgit2 err.txt &&
    grep -q "dnf install" err.txt && grep -q "brew install" err.txt && test ! -e p
'

test_expect_success 'an older leakgate hook is updated in place, its chain kept' '
    git init -q upd && cd upd &&
    printf "#!/bin/sh\nexit 0\n" >.git/hooks/pre-commit && chmod 755 .git/hooks/pre-commit &&
    cp .git/hooks/pre-commit ../orig &&
    inst --hooks pre-commit >/dev/null 2>&1 &&
    echo "# an older version" >>.git/hooks/pre-commit &&
    inst --hooks pre-commit >../out.txt 2>&1 && cat ../out.txt &&
    grep -q "pre-commit: updated" ../out.txt && ! grep -q "older version" .git/hooks/pre-commit &&
    cmp ../orig .git/hooks/pre-commit.leakgate-chained &&
    inst --uninstall >/dev/null 2>&1 && cmp ../orig .git/hooks/pre-commit
'

test_expect_success 'an existing hook that is a symlink is chained and restored as the same symlink' '
    git init -q sym && cd sym && mkdir scripts &&
    printf "#!/bin/sh\necho linked-hook-ran\n" >scripts/hook && chmod 755 scripts/hook &&
    ln -s ../../scripts/hook .git/hooks/pre-commit &&
    inst --hooks pre-commit >/dev/null 2>&1 &&
    test -h .git/hooks/pre-commit.leakgate-chained && test ! -h .git/hooks/pre-commit &&
    stage_clean && test_allowed git commit -q -m x && grep -q linked-hook-ran out.txt &&
    stage_key && test_blocked git commit -m key &&
    inst --uninstall >/dev/null 2>&1 &&
    test -h .git/hooks/pre-commit &&
    test "$(readlink .git/hooks/pre-commit)" = ../../scripts/hook
'

test_expect_success '--uninstall --all DIR removes the hooks from every repository below DIR' '
    mkdir -p code/x code/y && git init -q code/x && git init -q code/y &&
    printf "#!/bin/sh\nexit 0\n" >code/y/.git/hooks/pre-commit && chmod 755 code/y/.git/hooks/pre-commit &&
    cp code/y/.git/hooks/pre-commit orig &&
    inst --all code >/dev/null 2>&1 && grep -q leakgate-hook code/x/.git/hooks/pre-commit &&
    inst --uninstall --all code >out.txt 2>&1 && cat out.txt &&
    test ! -e code/x/.git/hooks/pre-commit && cmp orig code/y/.git/hooks/pre-commit &&
    test ! -e code/y/.git/hooks/pre-commit.leakgate-chained
'

test_done
