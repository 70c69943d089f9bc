from section307.cli import main

main()
