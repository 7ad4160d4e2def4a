crampcli: /tmp/attack/work/fifo/home/diary.sqlite3 is not a crampcli diary (not a regular file); it was left as it is: move it away or set CRAMPCLI_HOME
