from lettersmith.cli import main

main()
