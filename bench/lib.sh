# Shared by the bench/ scripts (sourced): a work folder cleaned up at exit,
# free loopback ports, nginx serving a file as the reference, and wrk.
# Needs: $work set by bench_init, $conns and $duration set by the caller.

bench_init() {
	for cmd in wrk nginx "$@"; do
		command -v "$cmd" >/dev/null || { echo "bench: $cmd missing (scripts/deps.sh)" >&2; exit 2; }
	done
	work=$(mktemp -d /tmp/linli-bench.XXXXXX)
	chmod 755 "$work"
	pids=()
	trap bench_cleanup EXIT
}

bench_cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_linli DB_URL: linli serve on a free port (2 threads); sets port and linli_pid.
start_linli() {
	port=$(free_port)
	"$linli" serve --db "$1" --listen "127.0.0.1:$port" --threads 2 --log-level warn \
		>"$work/linli.out" 2>"$work/linli.err" &
	linli_pid=$!
	pids+=($linli_pid)
	for _ in $(seq 50); do grep -q listening "$work/linli.out" 2>/dev/null && break; sleep 0.1; done
}

# start_nginx FILE: nginx serving FILE as /NAME on a free port; sets nport.
start_nginx() {
	local name
	name=$(basename "$1")
	mkdir -p "$work/www"
	cp "$1" "$work/www/$name"
	nport=$(free_port)
	cat >"$work/nginx.conf" <<CONF
worker_processes 2;
user nobody nogroup;
pid $work/nginx.pid;
error_log $work/nginx.err warn;
events { worker_connections 1024; }
http {
	access_log off;
	server {
		listen 127.0.0.1:$nport;
		location / { root $work/www; default_type application/json; }
	}
}
CONF
	nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' &
	pids+=($!)
	for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nport/$name" >/dev/null && break; sleep 0.1; done
}

# run_wrk URL [HEADER]: prints "req/s p99_ms".
run_wrk() {
	local out
	out=$(wrk -t2 -c"$conns" -d"${duration}s" --latency ${2:+-H "$2"} "$1")
	awk '/Requests\/sec/ { rps = $2 }
	     /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
	                else if (v ~ /ms$/) { sub(/ms/, "", v) }
	                else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
	                p99 = v }
	     END { printf "%.0f %.2f\n", rps, p99 }' <<<"$out"
}

# start_pg: a throwaway PostgreSQL cluster on a free port when the server
# binaries are installed (PG_BIN), stopped at exit; sets pg_url (empty when
# there is none).
start_pg() {
	local bin user runas=()
	pg_url=
	bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
	[ -x "${bin:-}/initdb" ] || return 0
	user=$(id -un)
	mkdir "$work/pg"
	if [ "$(id -u)" -eq 0 ]; then
		id -u linlitest >/dev/null 2>&1 ||
			useradd --system --no-create-home --shell /usr/sbin/nologin linlitest
		chown linlitest: "$work/pg"
		user=linlitest
		runas=(runuser -u linlitest --)
	fi
	pgport=$(free_port)
	(cd "$work/pg" && "${runas[@]}" "$bin/initdb" -D "$work/pg/data" -U "$user" --auth=trust \
		--encoding=UTF8 --locale=C >/dev/null)
	(cd "$work/pg" && "${runas[@]}" "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
		-o "-c listen_addresses=127.0.0.1 -c port=$pgport -c unix_socket_directories=$work/pg" \
		start >/dev/null)
	pg_stop=("${runas[@]}" "$bin/pg_ctl" -D "$work/pg/data" -m immediate stop)
	trap '"${pg_stop[@]}" >/dev/null 2>&1; bench_cleanup' EXIT
	"${runas[@]}" "$bin/createdb" -h 127.0.0.1 -p "$pgport" -U "$user" linli_bench
	pg_url="postgres://$user@127.0.0.1:$pgport/linli_bench"
}
