// A small road network for shortestPath and allShortestPaths: two
// shortest routes from a to d (through b or c, 2 hops), a longer one
// through e and f (3 hops), a one-way street d -> g, and an island h.
CREATE (a:Town {name: 'a'}), (b:Town {name: 'b'}), (c:Town {name: 'c'}),
       (d:Town {name: 'd'}), (e:Town {name: 'e'}), (f:Town {name: 'f'}),
       (g:Town {name: 'g'}), (h:Town {name: 'h'})
CREATE (a)-[:ROAD {km: 5}]->(b), (b)-[:ROAD {km: 5}]->(d),
       (a)-[:ROAD {km: 1}]->(c), (c)-[:ROAD {km: 9}]->(d),
       (a)-[:TRACK {km: 1}]->(e), (e)-[:TRACK {km: 1}]->(f), (f)-[:TRACK {km: 1}]->(d),
       (d)-[:ROAD {km: 2}]->(g)
