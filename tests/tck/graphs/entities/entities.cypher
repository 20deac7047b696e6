// People and places with names and aliases, for entity references
// (`("Kim Jong Un")`) over a graph built from a script.
CREATE (kim:Person:Agent {id: 'kim_jong_un', name: 'Kim Jong Un',
                          aliases: ['Kim Jong-un', 'Kim', '김정은']}),
       (yo:Person:Agent {id: 'kim_yo_jong', name: 'Kim Yo Jong',
                         aliases: ['Kim Yo-jong', 'Kim']}),
       (putin:Person:Agent {id: 'putin', name: 'Vladimir Putin',
                            aliases: ['Vladímir Putin', 'Putin', 'Владимир Путин']}),
       (choe:Person:Agent {id: 'choe_son_hui', name: 'Choe Son Hui',
                           aliases: ['Choe Son-hui', 'Choe']}),
       (moscow:City:Place {id: 'moscow', name: 'Moscow', aliases: ['Moscú', 'Москва']}),
       (pyongyang:City:Place {id: 'pyongyang', name: 'Pyongyang', aliases: ['Pionyang']})
CREATE (putin)-[:met_with {date: '2024-06-19'}]->(kim),
       (kim)-[:met_with {date: '2023-09-13'}]->(putin),
       (putin)-[:met_with {date: '2025-10-27'}]->(choe),
       (putin)-[:located_in]->(moscow),
       (kim)-[:located_in]->(pyongyang),
       (yo)-[:sibling_of]->(kim),
       (choe)-[:visited]->(moscow)
