# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dockmatrix_global_optspecs
    string join \n specs= no-verify rebuild wide jobs= format= h/help V/version
end

function __fish_dockmatrix_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dockmatrix_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dockmatrix_using_subcommand
    set -l cmd (__fish_dockmatrix_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -s V -l version -d 'Print version'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "versions" -d 'List the API versions of the corpus and the Docker releases serving each'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "ops" -d 'List the operations of one API version'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "history" -d 'Timeline of one operation and its parameters, e.g. "POST /containers/{id}/stop"'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "diff" -d 'Operations, parameters and fields added, removed, deprecated between two versions'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "convert" -d 'Print one version as an OpenAPI 3.0 JSON document (reads the corpus)'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "matrix" -d 'The whole compatibility matrix'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "check" -d 'Check a usage manifest (specs/usage/*.yaml) against an API version or Docker release (default: the manifest\'s declared minimum API). Exit 0 compatible, 1 incompatible (or unverified with --strict), 2 error'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "compare" -d 'Calls added and removed from manifest A to manifest B'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "proxy" -d 'HTTP proxy in front of a Docker daemon: record what a client calls, let through only a manifest\'s calls, make the daemon look older. Runs until SIGINT/SIGTERM'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "scan" -d 'Read a consumer\'s source and write its usage manifest: the Engine API calls it makes through a known client library (with their source lines), the query keys the call sites show, the client\'s version behaviour. Files that cannot be read or parsed are skipped with a warning. Exit 0 when calls were found, 2 otherwise'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "fetch-specs" -d 'Download the pinned spec corpus (or copy it from a mirror folder), verify every checksum, and install it all or nothing'
complete -c dockmatrix -n "__fish_dockmatrix_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand versions" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand versions" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand versions" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand versions" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand versions" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand versions" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand versions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand ops" -l api -d 'API version, e.g. 1.24' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand ops" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand ops" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand ops" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand ops" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand ops" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand ops" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand ops" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand history" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand history" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand history" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand history" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand history" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand history" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand diff" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand diff" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand diff" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand diff" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand diff" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand diff" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand convert" -l api -d 'API version' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand convert" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand convert" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand convert" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand convert" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand convert" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand convert" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand convert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand matrix" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand matrix" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand matrix" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand matrix" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand matrix" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand matrix" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand matrix" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -l api -d 'API version to check at' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -l docker -d 'Docker release to check against (served at the API version it uses for the consumer\'s requests); patch releases and a `v` prefix are accepted (`20.10.24`, `v1.9.1`)' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -l strict -d 'Also fail (exit 1) when a listed parameter or field is unverified at the target (the references cannot tell whether it has it)'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand compare" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand compare" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand compare" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand compare" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand compare" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand compare" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand compare" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l listen -d 'Where clients connect: unix:///path/to.sock or tcp://127.0.0.1:PORT' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l config -d 'Several listeners, each with its own rules, from a TOML file (README, Proxy)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l upstream -d 'The daemon: unix:///path or tcp://HOST:PORT (default: $DOCKER_HOST, else unix:///var/run/docker.sock)' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l record -d 'Write (and merge into) a usage manifest of the calls seen' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l allow -d 'Let through only the calls of this usage manifest (others: HTTP 403)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l as-api -d 'Look like a daemon whose newest API version is V' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l min-api -d 'Refuse requests for API versions below V, as a daemon with that minimum does (HTTP 400, its message)' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l as-docker -d 'Look like Docker release R as far as API versions go: R\'s minimum enforced with R\'s answer, R\'s maximum advertised (at most the upstream\'s)' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l log -d 'Log line format' -r -f -a "text\t'`METHOD operation status duration`'
json\t'One JSON object per line'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l strict -d 'With --allow: only the manifest\'s listed query parameters and body fields'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand proxy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l lang -d 'Source language' -r -f -a "go\t'Go (tree-sitter-go)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l out -d 'Write the manifest to FILE instead of stdout' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l library -d 'The client library table to use, as NAME@VERSION (`engine-api@dea108d`, `github.com/docker/docker@v28.5.2`), when the tree has no go.mod, vendor/modules.txt or Godeps/Godeps.json naming one' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l consumer -d 'The consumer\'s name and version for the manifest, as NAME@VERSION (default: the tree\'s SOURCE.toml or go.mod)' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l api-version -d 'What the requests carry (unversioned, negotiated or X.Y) when the code does not show it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand scan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand fetch-specs" -l from -d 'Copy from this folder instead of downloading' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand fetch-specs" -l into -d 'Install into this folder (default: ~/.cache/dockmatrix/specs)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand fetch-specs" -l specs -d 'Recompute from this spec corpus directory instead of the matrix built into the program (also: $DOCKMATRIX_SPECS)' -r -F
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand fetch-specs" -l jobs -d 'Worker threads (default: one per core; `proxy --jobs 1` runs on a single thread). Output does not depend on it' -r
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand fetch-specs" -l format -d 'Output format (default: text; `convert` prints JSON only)' -r -f -a "text\t'A readable table'
json\t'JSON'
md\t'GitHub-flavoured markdown'
github\t'GitHub Actions annotations (`check` only)'
yaml\t'YAML (`scan` only: a usage manifest)'"
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand fetch-specs" -l no-verify -d 'Recompute from a corpus, skipping checksum verification (patched or newer specs); content is still validated'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand fetch-specs" -l rebuild -d 'Recompute from the corpus found on disk (./specs/docker/cache, ~/.cache/dockmatrix/specs, ../shared/specs/docker) instead of the matrix built into the program'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand fetch-specs" -l wide -d 'Text tables: print every column in full instead of fitting 100 columns'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand fetch-specs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "versions" -d 'List the API versions of the corpus and the Docker releases serving each'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "ops" -d 'List the operations of one API version'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "history" -d 'Timeline of one operation and its parameters, e.g. "POST /containers/{id}/stop"'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "diff" -d 'Operations, parameters and fields added, removed, deprecated between two versions'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "convert" -d 'Print one version as an OpenAPI 3.0 JSON document (reads the corpus)'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "matrix" -d 'The whole compatibility matrix'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "check" -d 'Check a usage manifest (specs/usage/*.yaml) against an API version or Docker release (default: the manifest\'s declared minimum API). Exit 0 compatible, 1 incompatible (or unverified with --strict), 2 error'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "compare" -d 'Calls added and removed from manifest A to manifest B'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "proxy" -d 'HTTP proxy in front of a Docker daemon: record what a client calls, let through only a manifest\'s calls, make the daemon look older. Runs until SIGINT/SIGTERM'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "scan" -d 'Read a consumer\'s source and write its usage manifest: the Engine API calls it makes through a known client library (with their source lines), the query keys the call sites show, the client\'s version behaviour. Files that cannot be read or parsed are skipped with a warning. Exit 0 when calls were found, 2 otherwise'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "fetch-specs" -d 'Download the pinned spec corpus (or copy it from a mirror folder), verify every checksum, and install it all or nothing'
complete -c dockmatrix -n "__fish_dockmatrix_using_subcommand help; and not __fish_seen_subcommand_from versions ops history diff convert matrix check compare proxy scan fetch-specs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
