from crampcli.cli import main

main()
