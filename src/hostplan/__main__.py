from hostplan.cli import main

main()
