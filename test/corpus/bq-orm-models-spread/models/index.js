const { Sequelize, DataTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL);
require('./build')(sequelize, DataTypes);

// The models are registered on the Sequelize instance and exported by spreading its registry.
module.exports = { sequelize, ...sequelize.models };
