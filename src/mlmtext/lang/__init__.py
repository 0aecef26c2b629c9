"""Language data (plain files): claim rules, stance cues, explanations. Importable so they ship as package data."""
