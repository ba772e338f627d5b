"""Core data -> maps: offline interactive pages (folium/Leaflet) and static PNG maps. No Qt."""
