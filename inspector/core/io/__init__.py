"""Reading input files: format sniffing, encodings, tables with source line numbers, timestamps."""
