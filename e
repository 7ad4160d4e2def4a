crampcli: cannot write the diary /tmp/attack/work/side/home/diary.sqlite3: its folder or file is read-only (set CRAMPCLI_HOME to a folder you can write)
