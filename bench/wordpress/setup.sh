#!/bin/sh
# Install WordPress from Debian's packages (wordpress, php-fpm; MariaDB already running on
# 127.0.0.1:3306) with the same article as sinmun's bench, served by nginx + php-fpm:
#   http://127.0.0.1:8090/  WordPress uncached
#   http://127.0.0.1:8091/  the same behind an nginx microcache (fastcgi_cache, 1 s)
# bench/run.py includes both when they answer. Stop with: sh bench/wordpress/setup.sh stop
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${SINMUN_WP_WORK:-/tmp/sinmun-wordpress}
DB=sinmun_wp_bench
PHP_VERSION=$(php -r 'echo PHP_MAJOR_VERSION.".".PHP_MINOR_VERSION;' 2>/dev/null || echo 8.2)

if [ "${1:-}" = "stop" ]; then
    [ -f "$WORK/nginx.pid" ] && kill -QUIT "$(cat "$WORK/nginx.pid")" || true
    [ -f "$WORK/php-fpm.pid" ] && kill -QUIT "$(cat "$WORK/php-fpm.pid")" || true
    exit 0
fi

SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
if [ ! -f /usr/share/wordpress/wp-settings.php ] || ! command -v "php-fpm$PHP_VERSION" >/dev/null \
    || [ ! -d /usr/share/wordpress/wp-content/themes/twentytwentythree ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        wordpress wordpress-theme-twentytwentythree php-fpm php-mysql nginx
    PHP_VERSION=$(php -r 'echo PHP_MAJOR_VERSION.".".PHP_MINOR_VERSION;')
fi
mkdir -p "$WORK/logs" "$WORK/temp" "$WORK/cache"

# The database and its user (MariaDB's root over the local socket).
$SUDO mysql -e "CREATE DATABASE IF NOT EXISTS $DB CHARACTER SET utf8mb4;
  CREATE USER IF NOT EXISTS 'sinmunwp'@'127.0.0.1' IDENTIFIED BY 'sinmunwp';
  GRANT ALL ON $DB.* TO 'sinmunwp'@'127.0.0.1'; FLUSH PRIVILEGES;"

# Debian's wordpress reads /etc/wordpress/config-<host>.php.
for host in 127.0.0.1 localhost; do
    $SUDO tee "/etc/wordpress/config-$host.php" >/dev/null <<PHP
<?php
define('DB_NAME', '$DB');
define('DB_USER', 'sinmunwp');
define('DB_PASSWORD', 'sinmunwp');
define('DB_HOST', '127.0.0.1');
define('DB_CHARSET', 'utf8mb4');
define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');
define('WP_HOME', 'http://127.0.0.1:8090');
define('WP_SITEURL', 'http://127.0.0.1:8090');
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
PHP
done

# php-fpm: a pool on a socket in the work folder, as many children as a small server.
cat > "$WORK/php-fpm.conf" <<CONF
[global]
pid = $WORK/php-fpm.pid
error_log = $WORK/logs/php-fpm.log
daemonize = yes
[www]
user = www-data
group = www-data
listen = $WORK/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = 8
CONF
[ -f "$WORK/php-fpm.pid" ] && kill -QUIT "$(cat "$WORK/php-fpm.pid")" 2>/dev/null && sleep 1 || true
"php-fpm$PHP_VERSION" -y "$WORK/php-fpm.conf" -R

USER_LINE=""
[ "$(id -u)" = "0" ] && USER_LINE="user root;"
cat > "$WORK/nginx.conf" <<CONF
$USER_LINE
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $WORK/temp/body;
    fastcgi_temp_path $WORK/temp/fastcgi;
    proxy_temp_path $WORK/temp/proxy;
    uwsgi_temp_path $WORK/temp/uwsgi;
    scgi_temp_path $WORK/temp/scgi;
    fastcgi_cache_path $WORK/cache levels=1:2 keys_zone=wp:16m inactive=10m;
    server {
        listen 127.0.0.1:8090;
        root /usr/share/wordpress;
        index index.php;
        location / { try_files \$uri \$uri/ /index.php?\$args; }
        location ~ \.php\$ {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_param HTTP_HOST 127.0.0.1:8090;
            fastcgi_pass unix:$WORK/php-fpm.sock;
        }
    }
    server {
        listen 127.0.0.1:8091;
        root /usr/share/wordpress;
        index index.php;
        location / { try_files \$uri \$uri/ /index.php?\$args; }
        location ~ \.php\$ {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_param HTTP_HOST 127.0.0.1:8090;
            fastcgi_pass unix:$WORK/php-fpm.sock;
            fastcgi_cache wp;
            fastcgi_cache_key \$request_uri;
            fastcgi_cache_valid 200 1s;
            fastcgi_cache_lock on;
            fastcgi_cache_use_stale updating;
            fastcgi_ignore_headers Cache-Control Expires Set-Cookie;
            add_header X-Cache-Status \$upstream_cache_status;
        }
    }
}
CONF
[ -f "$WORK/nginx.pid" ] && kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null && sleep 1 || true
nginx -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/logs/error.log"

# Install WordPress through its own installer (no wp-cli in Debian), then the article.
curl -fsS -o /dev/null "http://127.0.0.1:8090/wp-admin/install.php?step=2" \
    --data-urlencode "weblog_title=새여울일보 WordPress" --data-urlencode "user_name=bench" \
    --data-urlencode "admin_password=bench-password-123" \
    --data-urlencode "admin_password2=bench-password-123" \
    --data-urlencode "pw_weak=1" --data-urlencode "admin_email=bench@example.com" \
    --data-urlencode "blog_public=0" || true
ID=$(python3 "$HERE/article.py" | mysql -N -h 127.0.0.1 -u sinmunwp -psinmunwp "$DB" | tail -1)
# WordPress answers /?p=ID with a 301 to the post's permalink when pretty permalinks are
# on: the bench requests the page itself, not the redirect.
RESULT=$(curl -sL -o "$WORK/check.html" -w '%{http_code} %{url_effective}' \
    "http://127.0.0.1:8090/?p=$ID")
STATUS=${RESULT%% *}
FINAL=${RESULT#* }
echo "/${FINAL#http://127.0.0.1:8090/}" > "$HERE/article-path.txt"
# WordPress curls quotes in titles (wptexturize): look for the title's last words.
TITLE=$(python3 -c "import json;print(json.load(open('$HERE/article.json'))['title'].split('…')[-1])")
if [ "$STATUS" = "200" ] && grep -qF "$TITLE" "$WORK/check.html"; then
    echo "WordPress is serving the bench article at $FINAL (cached: :8091)"
else
    echo "WordPress answered $STATUS without the article; see $WORK/logs" >&2
    exit 1
fi
