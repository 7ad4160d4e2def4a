from crampcli.launch import main

main()
