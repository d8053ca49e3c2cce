"""notice"""
